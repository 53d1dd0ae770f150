from digits.train import train


def test_train_runs() -> None:
    assert callable(train)
