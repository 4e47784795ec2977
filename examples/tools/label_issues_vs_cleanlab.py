#!/usr/bin/python3
"""Label issues: Cleanlab's find_label_issues against Groundwork's, on the same probabilities.

Reads the files MakeLabelNoiseFixture writes (Fashion-MNIST, class-conditional noise, out-of-fold
probabilities of cross-validated DJL models), runs Cleanlab's find_label_issues with its default
(filter_by='prune_by_noise_rate') and with filter_by='confident_learning', and its noise estimate
num_label_issues; joins Groundwork's figures (LabelIssueStudy's JSON lines) and writes

  - a JSON file of rows and a Markdown table (RESULTS.json / RESULTS.md next to the fixture),
  - docs/results/label-issues.json in the format of the examples' Results class (name, date,
    command, machine, versions, figures, notes), which docs/analysis.md quotes through
    <!--r:label-issues/KEY--> markers. Keys: SET_MODEL_RATE_WHAT, e.g. n10000_cnn_20_cleanlab_f1,
    fixture_cnn_10_ours_f1; WHAT is accuracy_clean, true_noise, cleanlab_{flagged,precision,
    recall,f1,est_noise}, ours_{flagged,precision,recall,f1,est_noise,model_weight}.

Cleanlab is not a dependency of this project: bring its public source (github:cleanlab/cleanlab)
into a scratch directory and put it on PYTHONPATH; it runs on Debian's python3-numpy,
python3-sklearn and python3-pandas. Its import pulls in termcolor and tqdm, which only
token classification and segmentation use; give no-op modules of those names on PYTHONPATH if
they are missing.

  PYTHONPATH=/tmp/cleanlab:/tmp/shims /usr/bin/python3 examples/tools/label_issues_vs_cleanlab.py \\
      --set n10000 /tmp/labelnoise ours-10000.jsonl \\
      --set fixture core/src/test/resources/dev/groundwork/core/analysis/labelnoise ours-3000.jsonl \\
      --rows RESULTS.json --table RESULTS.md --results docs/results/label-issues.json
"""
import datetime
import gzip
import json
import os
import platform
import sys

import numpy as np
import cleanlab
from cleanlab.count import num_label_issues
from cleanlab.filter import find_label_issues

OURS = 'confident joint + neighbour consensus'


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
    return truth[:n], noisy, probs


def score(mask, wrong):
    hit = int(np.sum(mask & wrong))
    p = hit / max(int(mask.sum()), 1)
    r = hit / max(int(wrong.sum()), 1)
    return {'precision': round(p, 4), 'recall': round(r, 4),
            'f1': round(2 * p * r / (p + r) if p + r else 0.0, 4), 'flagged': int(mask.sum())}


def rows_of(name, directory, ours_path):
    ours = [json.loads(line) for line in open(ours_path) if line.strip()]
    rows = []
    for model in ('logreg', 'cnn'):
        for rate in (10, 20):
            if not os.path.exists(os.path.join(directory, 'probs-%s-%02d.bin.gz' % (model, rate))):
                continue
            truth, noisy, probs = load(directory, model, rate)
            wrong = truth != noisy
            accuracy = float(np.mean(probs.argmax(1) == truth))
            setting = {'set': name, 'model': model, 'rate': rate, 'n': len(noisy),
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
                    row = dict(setting, tool='groundwork', method=o['method'],
                               precision=o['precision'], recall=o['recall'], f1=o['f1'],
                               flagged=o['flagged'], estimated_noise=o['estimated_noise'])
                    if o.get('model_weight') is not None:
                        row['model_weight'] = o['model_weight']
                    rows.append(row)
    return rows


def figures(rows):
    out = {}
    for r in rows:
        key = '%s_%s_%d_' % (r['set'], r['model'], r['rate'])
        out[key + 'accuracy_clean'] = (r['accuracy_clean'], '')
        out[key + 'true_noise'] = (r['true_noise'], '')
        who = ('cleanlab' if r['tool'].startswith('cleanlab') and 'default' in r['method']
               else 'ours' if r['tool'] == 'groundwork' and r['method'] == OURS else None)
        if who is None:
            continue
        for what in ('flagged', 'precision', 'recall', 'f1'):
            out[key + who + '_' + what] = (r[what], 'examples' if what == 'flagged' else '')
        out[key + who + '_est_noise'] = (r['estimated_noise'], '')
        if 'model_weight' in r:
            out[key + who + '_model_weight'] = (r['model_weight'], '')
    return out


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        for line in open('/proc/cpuinfo'):
            if line.startswith('model name'):
                cpu = line.split(':', 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, 'getloadavg') else None
    return {'cores': os.cpu_count(), 'cpu': cpu, 'python': platform.python_version(),
            'os': platform.system() + ' ' + platform.machine(), 'load_average_end': load}


def main(argv):
    sets, rows_path, table_path, results_path = [], None, None, None
    i = 0
    while i < len(argv):
        if argv[i] == '--set':
            sets.append(tuple(argv[i + 1:i + 4]))
            i += 4
        else:
            value = argv[i + 1]
            if argv[i] == '--rows':
                rows_path = value
            elif argv[i] == '--table':
                table_path = value
            elif argv[i] == '--results':
                results_path = value
            else:
                raise SystemExit('unknown option %s; see the module comment' % argv[i])
            i += 2
    rows = []
    for name, directory, ours_path in sets:
        rows += rows_of(name, directory, ours_path)
    if rows_path:
        with open(rows_path, 'w') as f:
            json.dump({'rows': rows, 'cleanlab_version': cleanlab.__version__}, f, indent=1)
    table = ('| set | model (clean accuracy) | true noise | tool | method | flagged | precision | '
             'recall | F1 | est. noise | model weight |\n'
             '|---|---|---|---|---|---|---|---|---|---|---|\n')
    for r in rows:
        table += '| %s | %s (%.3f) | %.3f | %s | %s | %d | %.3f | %.3f | %.3f | %s | %s |\n' % (
            r['set'], r['model'], r['accuracy_clean'], r['true_noise'], r['tool'], r['method'],
            r['flagged'], r['precision'], r['recall'], r['f1'],
            '%.3f' % r['estimated_noise'] if 'estimated_noise' in r else '',
            '%.3f' % r['model_weight'] if 'model_weight' in r else '')
    if table_path:
        with open(table_path, 'w') as f:
            f.write(table)
    print(table)
    if results_path:
        figs = figures(rows)
        doc = {
            'name': 'label-issues',
            'date': datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'),
            'command': 'examples/tools/label_issues_vs_cleanlab.py ' + ' '.join(argv),
            'machine': machine(),
            'versions': {'cleanlab': cleanlab.__version__, 'numpy': np.__version__,
                         'data': 'Fashion-MNIST train, stratified sample seed 11; '
                                 'noise seed 2024; 5-fold CV seed 7'},
            'figures': {k: {'value': v, 'unit': u} for k, (v, u) in figs.items()},
            'notes': {'ours': OURS + ' (k = 10, model weight fitted to the given labels)',
                      'cleanlab': 'find_label_issues default (filter_by=prune_by_noise_rate); '
                                  'noise estimate num_label_issues / n'},
        }
        with open(results_path, 'w') as f:
            json.dump(doc, f, indent=2)
            f.write('\n')


if __name__ == '__main__':
    main(sys.argv[1:])
