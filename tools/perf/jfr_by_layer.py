import sys, re, collections, subprocess
f = sys.argv[1]
out = subprocess.run(['jfr','print','--stack-depth','64','--events','jdk.ExecutionSample',f],capture_output=True,text=True).stdout
cats = collections.Counter(); n = 0
for e in out.split('jdk.ExecutionSample'):
    m = re.search(r'sampledThread = "([^"]*)"', e)
    if not m: continue
    frames = re.findall(r'^\s+([\w.$<>]+)\(', e, re.M)
    if not frames: continue
    n += 1
    th = m.group(1)
    s = ' '.join(frames)
    if th != 'main' and 'compute' not in th: c = 'loader/other threads (augmentation, assembly)'
    elif 'Trainer.train' not in s: c = 'outside the epoch loop (data prep, soft labels, startup)'
    elif 'Kernels.gemmNT' in s: c = 'gemmNT (weight gradients)' + (' [Linear]' if 'Linear.' in s else ' [conv]')
    elif 'Kernels.gemm' in s or 'Kernels.panel' in s: c = 'gemm NN' + (' [Linear]' if 'Linear.' in s else ' [conv]')
    elif 'Im2col.im2col' in s: c = 'im2col'
    elif 'Im2col.col2im' in s: c = 'col2im'
    elif 'MaxPool2d.forward' in s: c = 'maxpool forward'
    elif 'MaxPool2d.backward' in s: c = 'maxpool backward'
    elif 'Activation.backward' in s: c = 'activation backward'
    elif 'Activation.' in s: c = 'activation forward'
    elif 'BatchNorm2d' in s: c = 'batch norm'
    elif 'Sgd' in s: c = 'sgd'
    elif 'Evaluation' in s: c = 'evaluation'
    else: c = 'other in epoch (' + frames[0].split('.')[-2] + '.' + frames[0].split('.')[-1] + ')'
    cats[c] += 1
print(f, 'samples', n)
for k, v in cats.most_common(18): print(f"{100*v/n:5.1f}% {k}")
