from invoke import Context, task


@task
def train(ctx: Context) -> None:
    ctx.run("python src/digits/train_model.py", echo=True, pty=True)


@task
def docker_build(ctx: Context) -> None:
    ctx.run("docker build -t api:latest . -f dockerfiles/api.dockerfile", echo=True, pty=True)
