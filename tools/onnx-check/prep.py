"""Fashion-MNIST's test split as an exported model's input, prepared without this project:
PIL's bilinear resize (half-pixel centres) in float, 28x28 -> 32x32, then / 255; written as
big-endian float32 [N, 1, 32, 32] (x.bin) and uint8 labels (y.bin) into the folder argv[2]."""
import gzip
import sys

import numpy as np
from PIL import Image

d = sys.argv[1].rstrip('/') + '/'
out_dir = sys.argv[2].rstrip('/') + '/'
x = np.frombuffer(gzip.open(d + 't10k-images-idx3-ubyte.gz').read(), np.uint8,
                  offset=16).reshape(-1, 28, 28)
y = np.frombuffer(gzip.open(d + 't10k-labels-idx1-ubyte.gz').read(), np.uint8, offset=8)
px = np.stack([np.asarray(Image.fromarray(i.astype(np.float32), 'F')
                          .resize((32, 32), Image.BILINEAR)) for i in x]) / 255.0
px.astype('>f4').tofile(out_dir + 'x.bin')
y.astype(np.uint8).tofile(out_dir + 'y.bin')
