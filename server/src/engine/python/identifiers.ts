/**
 * Python's hard keywords (the `keyword.kwlist` of Python 3.x; soft keywords such as `match`, `case`, `type` are valid
 * module names). A module or package named like one cannot be imported with `import`.
 */
export const PYTHON_KEYWORDS: ReadonlySet<string> = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(
    ' ',
  ),
);

/**
 * Whether a file or folder name can be imported as a module: an identifier (letters, digits, underscores, not starting
 * with a digit; upper case is fine: `import FishClassifier` works) that is not a keyword. Hyphens, dots, spaces and a
 * leading digit make a name unimportable.
 */
export function isModuleName(name: string): boolean {
  return /^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*$/u.test(name) && !PYTHON_KEYWORDS.has(name);
}
