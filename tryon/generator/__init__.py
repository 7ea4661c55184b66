"""The try-on generator at run time: the contract shared with training and export
(:mod:`.contract`, numpy only) and the ONNX Runtime session (:mod:`.runtime`)."""
