import hydra
import torch
from omegaconf import DictConfig


class Net(torch.nn.Module):
    def __init__(self, hidden: int) -> None:
        super().__init__()
        self.layer = torch.nn.Linear(64, hidden)


@hydra.main(config_path="../../configs", config_name="config", version_base="1.3")
def main(cfg: DictConfig) -> None:
    torch.manual_seed(cfg.seed)
    hydra.utils.instantiate(cfg.model)


if __name__ == "__main__":
    main()
