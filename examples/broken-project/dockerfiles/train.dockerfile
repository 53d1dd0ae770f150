FROM python:latest
WORKDIR /app
COPY src/ src/
COPY requirements/ requirements/
COPY gcp-key.json gcp-key.json
RUN pip install -r requirements/base.txt
ENTRYPOINT ["python", "-u", "src/digits/train_model.py"]
