"""edgeq's desktop training path: PyTorch training, ONNX export and the model JSON.

Modules: errors (the one exception type the CLI turns into a one-line message), runtime (device,
AMP and loader selection as a pure function), data (datasets in memory as uint8), augment,
archs (the model zoo), metrics (params/MACs), export (ONNX + JSON), trainer (the loop), cli.
"""
