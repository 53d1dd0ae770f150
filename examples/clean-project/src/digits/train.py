import torch


def train() -> None:
    model = torch.nn.Linear(64, 10)
    torch.save(model.state_dict(), "models/model.pt")


if __name__ == "__main__":
    train()
