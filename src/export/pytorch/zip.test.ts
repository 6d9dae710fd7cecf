import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { projectFolder, projectZip } from './zip';

describe('projectZip', () => {
  it('puts every file, text and bytes, inside one folder named after the project', () => {
    const folder = projectFolder('ResNet-20 on CIFAR-10');
    expect(folder).toBe('resnet-20-on-cifar-10-pytorch');
    const zip = projectZip({ 'model.py': 'import torch\n', 'tfjs/w.bin': new Uint8Array([1, 2, 3]) }, folder);
    const back = unzipSync(zip);
    expect(Object.keys(back).sort()).toEqual(['resnet-20-on-cifar-10-pytorch/model.py', 'resnet-20-on-cifar-10-pytorch/tfjs/w.bin']);
    expect(new TextDecoder().decode(back['resnet-20-on-cifar-10-pytorch/model.py'])).toBe('import torch\n');
    expect([...back['resnet-20-on-cifar-10-pytorch/tfjs/w.bin']!]).toEqual([1, 2, 3]);
    expect(projectFolder('???')).toBe('model-pytorch');
  });
});
