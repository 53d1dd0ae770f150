FROM python:latest
WORKDIR /app
COPY src/ src/
COPY requirements.txt requirements.txt
COPY gcp-key.json gcp-key.json
RUN pip install -r requirements.txt
ENTRYPOINT ["python", "-u", "src/digits/train_model.py"]
