# Exports the PyTorch models of PyTorchExportTest (Debian python3-torch 1.13: /usr/bin/python3 export.py).
# Writes NAME{opset}.onnx plus the input and PyTorch eager output as little-endian float32 (NAME_x.bin, NAME_y.bin).
import torch, torch.nn as nn, numpy as np
torch.manual_seed(0)
class Seed(nn.Module):
    def __init__(s):
        super().__init__()
        s.f = nn.Sequential(nn.Conv2d(1,16,3,padding=1), nn.ReLU(), nn.MaxPool2d(2),
                            nn.Conv2d(16,32,3,padding=1), nn.BatchNorm2d(32), nn.ReLU6(), nn.MaxPool2d(2, ceil_mode=True),
                            nn.Conv2d(32,32,3,padding=1, groups=32), nn.ReLU(), nn.AvgPool2d(3, 2, 1, ceil_mode=True),
                            nn.Conv2d(32,64,1), nn.LeakyReLU(0.2))
        s.d = nn.Sequential(nn.Linear(64*4*4, 12), nn.ReLU(), nn.Dropout(0.5), nn.Linear(12, 10))
    def forward(s, x):
        x = s.f(x)
        x = x.view(x.size(0), -1)
        return s.d(x)
class Res(nn.Module):
    def __init__(s):
        super().__init__()
        s.c1 = nn.Conv2d(3,8,3,padding=1); s.b1 = nn.BatchNorm2d(8)
        s.c2 = nn.Conv2d(8,8,3,padding=1); s.b2 = nn.BatchNorm2d(8)
        s.fc = nn.Linear(8, 5)
    def forward(s, x):
        y = torch.relu(s.b1(s.c1(x)))
        y = torch.relu(y + s.b2(s.c2(y)))
        y = nn.functional.adaptive_avg_pool2d(y, 1)
        y = torch.flatten(y, 1)
        return torch.softmax(s.fc(y), dim=1)
for name, m, shape in [("seed", Seed(), (1,1,28,28)), ("res", Res(), (1,3,16,16))]:
    m.eval()
    for mod in m.modules():
        if isinstance(mod, nn.BatchNorm2d):
            mod.running_mean.uniform_(-1,1); mod.running_var.uniform_(0.5,2); mod.weight.data.uniform_(0.5,1.5)
    x = torch.randn(*shape)
    for opset in ((11, 13) if name == "seed" else (17,)):
        torch.onnx.export(m, x, f"{name}{opset}.onnx", opset_version=opset, input_names=["input"], output_names=["logits"],
                          dynamic_axes={"input": {0: "batch"}})
    
    x.numpy().astype('<f4').tofile(f"{name}_x.bin"); m(x).detach().numpy().astype('<f4').tofile(f"{name}_y.bin")
print("ok")
