"""calmdesk's default judge: a fine-tuned multi-task MiniLM encoder, run as int8 ONNX.

`judge` loads the shipped model and reads its outputs (calibrated confidences, occlusion
evidence); `combine` merges its answers with the rule detectors inside the pipeline's walk;
`inputs` builds what the encoder reads for a message; `spec` lists the labels it answers.
Trained by training/train_encoder.py (model card: training/README.md).
"""
