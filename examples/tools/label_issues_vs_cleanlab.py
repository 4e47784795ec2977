#!/usr/bin/python3
"""Label issues: Cleanlab's find_label_issues against Groundwork's, on the same probabilities.

Reads the files MakeLabelNoiseFixture writes (Fashion-MNIST, class-conditional noise, out-of-fold
probabilities of cross-validated DJL models), runs Cleanlab's find_label_issues with its default
(filter_by='prune_by_noise_rate') and with filter_by='confident_learning', and its noise estimate
num_label_issues; joins Groundwork's figures (LabelIssueStudy's JSON lines) and writes a JSON file
and a Markdown table.

Cleanlab is not a dependency of this project: bring its public source (github:cleanlab/cleanlab)
into a scratch directory and put it on PYTHONPATH; it runs on Debian's python3-numpy,
python3-sklearn and python3-pandas. Its import pulls in termcolor and tqdm, which only
token classification and segmentation use; give no-op modules of those names on PYTHONPATH if
they are missing.

  PYTHONPATH=/tmp/cleanlab:/tmp/shims /usr/bin/python3 examples/tools/label_issues_vs_cleanlab.py \\
      /tmp/labelnoise ours.jsonl results.json results.md
"""
import gzip
import json
import os
import subprocess
import sys

import numpy as np
import cleanlab
from cleanlab.count import num_label_issues
from cleanlab.filter import find_label_issues


def load(directory, model, rate):
    with gzip.open(os.path.join(directory, 'features.bin.gz'), 'rb') as f:
        b = f.read()
    n = int(np.frombuffer(b[:4], '>i4')[0])
    truth = np.frombuffer(b[12:12 + n], np.int8).astype(int)
    with gzip.open(os.path.join(directory, 'probs-%s-%02d.bin.gz' % (model, rate)), 'rb') as f:
        b = f.read()
    n, c = (int(v) for v in np.frombuffer(b[:8], '>i4'))
    noisy = np.frombuffer(b[8:8 + n], np.int8).astype(int)
    probs = np.frombuffer(b[8 + n:8 + n + n * c * 4], '>f4').reshape(n, c).astype(np.float64)
    return truth, noisy, probs


def score(mask, wrong):
    hit = int(np.sum(mask & wrong))
    p = hit / max(int(mask.sum()), 1)
    r = hit / max(int(wrong.sum()), 1)
    return {'precision': round(p, 4), 'recall': round(r, 4),
            'f1': round(2 * p * r / (p + r) if p + r else 0.0, 4), 'flagged': int(mask.sum())}


def main(directory, ours_path, out_json, out_md):
    ours = [json.loads(line) for line in open(ours_path) if line.strip()]
    rows = []
    for model in ('logreg', 'cnn'):
        for rate in (10, 20):
            if not os.path.exists(os.path.join(directory, 'probs-%s-%02d.bin.gz' % (model, rate))):
                continue
            truth, noisy, probs = load(directory, model, rate)
            wrong = truth != noisy
            accuracy = float(np.mean(probs.argmax(1) == truth))
            setting = {'model': model, 'rate': rate, 'n': len(noisy),
                       'true_noise': round(float(wrong.mean()), 4),
                       'accuracy_clean': round(accuracy, 4)}
            default = find_label_issues(noisy, probs)
            rows.append(dict(setting, tool='cleanlab ' + cleanlab.__version__,
                             method='find_label_issues default (prune_by_noise_rate)',
                             estimated_noise=round(num_label_issues(noisy, probs) / len(noisy), 4),
                             **score(default, wrong)))
            cl = find_label_issues(noisy, probs, filter_by='confident_learning')
            rows.append(dict(setting, tool='cleanlab ' + cleanlab.__version__,
                             method='confident_learning', **score(cl, wrong)))
            for o in ours:
                if o['model'] == model and o['rate'] == rate:
                    rows.append(dict(setting, tool='groundwork', method=o['method'],
                                     precision=o['precision'], recall=o['recall'], f1=o['f1'],
                                     flagged=o['flagged'], estimated_noise=o['estimated_noise']))
    with open(out_json, 'w') as f:
        json.dump({'rows': rows, 'cleanlab_version': cleanlab.__version__}, f, indent=1)
    with open(out_md, 'w') as f:
        f.write('| model (clean accuracy) | true noise | tool | method | flagged | precision | '
                'recall | F1 | est. noise |\n|---|---|---|---|---|---|---|---|---|\n')
        for r in rows:
            f.write('| %s (%.3f) | %.2f | %s | %s | %d | %.3f | %.3f | %.3f | %s |\n' % (
                r['model'], r['accuracy_clean'], r['true_noise'], r['tool'], r['method'],
                r['flagged'], r['precision'], r['recall'], r['f1'],
                '%.3f' % r['estimated_noise'] if 'estimated_noise' in r else ''))
    print(open(out_md).read())


if __name__ == '__main__':
    main(*sys.argv[1:5])
