import hydra
from omegaconf import DictConfig


@hydra.main(config_path="../configs", config_name="config")
def main(cfg: DictConfig) -> None:
    model = hydra.utils.instantiate(cfg.model)
    model.fit(cfg.lr)


if __name__ == "__main__":
    main()
