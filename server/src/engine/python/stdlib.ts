/**
 * Top-level modules of the standard library, every Python 3 version (modules since removed, such as distutils and imp,
 * and private ones such as _collections_abc included: importing them is no undeclared dependency).
 *
 * Source: the module names (lines without a dot) of typeshed's stdlib/VERSIONS (github.com/python/typeshed, Apache-2.0),
 * commit 21dff5c0ca9a6cc18f70dac51b36e1f08e30be5d of 2026-08-21, read 2026-12-04; the data only, written here as a list.
 * Left out: `typing_extensions` (typeshed lists its stub there, but it is the typing-extensions distribution) and
 * `_typeshed` (exists for type checkers only). Added: `idlelib` and `turtledemo`, which are in
 * `sys.stdlib_module_names` but have no stubs.
 */
export const STDLIB: ReadonlySet<string> = new Set(
  [
    '__future__ __main__ _ast _asyncio _bisect _blake2 _bz2 _codecs _collections_abc _compat_pickle _compression',
    '_contextvars _csv _ctypes _curses _curses_panel _dbm _decimal _frozen_importlib _frozen_importlib_external _gdbm',
    '_hashlib _heapq _imp _interpchannels _interpqueues _interpreters _io _json _locale _lsprof _lzma _markupbase',
    '_msi _multibytecodec _operator _osx_support _pickle _posixsubprocess _py_abc _pydecimal _queue _random',
    '_remote_debugging _sitebuiltins _socket _sqlite3 _ssl _stat _struct _thread _threading_local _tkinter',
    '_tracemalloc _warnings _weakref _weakrefset _winapi _zstd abc aifc annotationlib antigravity argparse array ast',
    'asynchat asyncio asyncore atexit audioop base64 bdb binascii binhex bisect builtins bz2 cProfile calendar cgi',
    'cgitb chunk cmath cmd code codecs codeop collections colorsys compileall compression concurrent configparser',
    'contextlib contextvars copy copyreg crypt csv ctypes curses dataclasses datetime dbm decimal difflib dis',
    'distutils doctest email encodings ensurepip enum errno faulthandler fcntl filecmp fileinput fnmatch fractions',
    'ftplib functools gc genericpath getopt getpass gettext glob graphlib grp gzip hashlib heapq hmac html http',
    'imaplib imghdr imp importlib inspect io ipaddress itertools json keyword lib2to3 linecache locale logging lzma',
    'mailbox mailcap marshal math mimetypes mmap modulefinder msilib msvcrt multiprocessing netrc nis nntplib nt',
    'ntpath nturl2path numbers opcode operator optparse os ossaudiodev pathlib pdb pickle pickletools pipes pkgutil',
    'platform plistlib poplib posix posixpath pprint profile profiling pstats pty pwd py_compile pyclbr pydoc',
    'pydoc_data pyexpat queue quopri random re readline reprlib resource rlcompleter runpy sched secrets select',
    'selectors shelve shlex shutil signal site smtpd smtplib sndhdr socket socketserver spwd sqlite3 sre_compile',
    'sre_constants sre_parse ssl stat statistics string stringprep struct subprocess sunau symtable sys sysconfig',
    'syslog tabnanny tarfile telnetlib tempfile termios textwrap this threading time timeit tkinter token tokenize',
    'tomllib trace traceback tracemalloc tty turtle types typing unicodedata unittest urllib uu uuid venv warnings',
    'wave weakref webbrowser winreg winsound wsgiref xdrlib xml xmlrpc xxlimited zipapp zipfile zipimport zlib',
    'zoneinfo',
    'idlelib turtledemo',
  ]
    .join(' ')
    .split(' '),
);
