#!/usr/bin/python3
# Cross-check of issue 6's speed figure, not part of the build: the PyTorch reference model (784-400-20 MLP VAE,
# Bernoulli decoder on grey Fashion-MNIST, Adam 1e-3, batch 128, one thread), run side by side with
# ./workbench run vae-fashion-mlp. Needs python3-torch (Debian) under /usr/bin/python3. Usage:
#   /usr/bin/python3 vae_fashion_pytorch.py <workspace>/data/dataset-fashion-mnist_*/train-images-idx3-ubyte.gz 3
import gzip, struct, sys, time, torch, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(1); torch.manual_seed(1)
d = sys.argv[1]
def idx(p):
    with gzip.open(p) if p.endswith('.gz') else open(p, 'rb') as f:
        b = f.read()
    n = struct.unpack('>I', b[4:8])[0]
    return torch.frombuffer(bytearray(b[16:]), dtype=torch.uint8).reshape(n, 784).float() / 255.0
x = idx(d)
class VAE(nn.Module):
    def __init__(s):
        super().__init__(); s.fc1 = nn.Linear(784, 400); s.fc21 = nn.Linear(400, 20); s.fc22 = nn.Linear(400, 20); s.fc3 = nn.Linear(20, 400); s.fc4 = nn.Linear(400, 784)
    def forward(s, x):
        h = F.relu(s.fc1(x)); mu, lv = s.fc21(h), s.fc22(h)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * lv)
        return s.fc4(F.relu(s.fc3(z))), mu, lv
m = VAE(); opt = torch.optim.Adam(m.parameters(), lr=1e-3)
for epoch in range(int(sys.argv[2])):
    t0 = time.time(); perm = torch.randperm(len(x)); tot = 0
    for i in range(0, len(x), 128):
        b = x[perm[i:i + 128]]
        logits, mu, lv = m(b)
        loss = F.binary_cross_entropy_with_logits(logits, b, reduction='sum') - 0.5 * torch.sum(1 + lv - mu.pow(2) - lv.exp())
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item()
    print(f"epoch {epoch + 1}: -ELBO {tot / len(x):.1f}, {time.time() - t0:.2f} s", flush=True)
