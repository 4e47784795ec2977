# Generates the xcheck-*.json fixtures and prints pycocotools 2.0.11 stats (run: python xcheck-generate.py 3).
# Used once to produce the expected values in PycocotoolsCrossCheckTest; not run by the build.
import json, random, io, contextlib, sys
import numpy as np
def R(o):
    if isinstance(o, float): return round(o, 2)
    if isinstance(o, list): return [R(x) for x in o]
    if isinstance(o, dict): return {k: R(v) for k, v in o.items()}
    return o

from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval
rnd = random.Random(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
cats = [{"id": 1, "name": "cat"}, {"id": 2, "name": "dog"}, {"id": 5, "name": "cow"}]
images, anns, dets = [], [], []
aid = 1
for i in range(1, 41):
    images.append({"id": i, "width": 640, "height": 480})
    for _ in range(rnd.randint(0, 6)):
        w = rnd.choice([rnd.uniform(3, 30), rnd.uniform(30, 100), rnd.uniform(100, 300)])
        h = w * rnd.uniform(0.5, 2)
        x, y = rnd.uniform(0, 400), rnd.uniform(0, 300)
        c = rnd.choice([1, 2, 5])
        crowd = 1 if rnd.random() < 0.08 else 0
        area = w * h * rnd.uniform(0.6, 1.0)
        anns.append({"id": aid, "image_id": i, "category_id": c, "bbox": [x, y, w, h], "area": area, "iscrowd": crowd}); aid += 1
        if rnd.random() < 0.8:
            for _ in range(rnd.choice([1, 1, 1, 2])):
                c2 = c if rnd.random() < 0.85 else rnd.choice([1, 2, 5])
                j = rnd.uniform(0, 0.4)
                dets.append({"image_id": i, "category_id": c2, "bbox": [x + rnd.uniform(-j, j) * w, y + rnd.uniform(-j, j) * h, w * rnd.uniform(1 - j, 1 + j), h * rnd.uniform(1 - j, 1 + j)], "score": round(rnd.random(), 4)})
    for _ in range(rnd.randint(0, 3)):
        w = rnd.uniform(5, 150); h = rnd.uniform(5, 150)
        dets.append({"image_id": i, "category_id": rnd.choice([1, 2, 5]), "bbox": [rnd.uniform(0, 500), rnd.uniform(0, 400), w, h], "score": round(rnd.random(), 4)})
json.dump(R({"images": images, "annotations": anns, "categories": cats}), open("xcheck-gt.json", "w"))
json.dump(R(dets), open("xcheck-dt.json", "w"))
with contextlib.redirect_stdout(io.StringIO()):
    gt = COCO("xcheck-gt.json"); dt = gt.loadRes("xcheck-dt.json")
    E = COCOeval(gt, dt, "bbox"); E.evaluate(); E.accumulate(); E.summarize()
p = E.eval["precision"]
per = []
for k in range(3):
    pk = p[:, :, k, 0, -1]; per.append(float(np.mean(pk[pk > -1])) if (pk > -1).any() else -1)
print("BOX", " ".join(repr(float(s)) for s in E.stats), "PER", " ".join(repr(v) for v in per))

# keypoints: 5 keypoints
K = 5; sig = [.5, .3, .3, .8, .8]
kimgs, kanns, kdets = [], [], []
aid = 1
for i in range(1, 31):
    kimgs.append({"id": i})
    for _ in range(rnd.randint(0, 4)):
        w = rnd.uniform(20, 200); h = rnd.uniform(20, 200); x, y = rnd.uniform(0, 400), rnd.uniform(0, 300)
        kp = []; nv = 0
        for j in range(K):
            v = rnd.choice([0, 1, 2, 2])
            if v: kp += [x + rnd.uniform(0, w), y + rnd.uniform(0, h), v]; nv += 1
            else: kp += [0, 0, 0]
        crowd = 1 if rnd.random() < 0.05 else 0
        kanns.append({"id": aid, "image_id": i, "category_id": 1, "bbox": [x, y, w, h], "area": w * h * 0.7, "iscrowd": crowd, "keypoints": kp, "num_keypoints": nv}); aid += 1
        if rnd.random() < 0.85:
            s = rnd.uniform(0, 0.15) * (w * h) ** 0.5
            pk = []
            for j in range(K):
                gx = kp[3*j] if kp[3*j+2] else x + rnd.uniform(0, w)
                gy = kp[3*j+1] if kp[3*j+2] else y + rnd.uniform(0, h)
                pk += [gx + rnd.gauss(0, s), gy + rnd.gauss(0, s), 1]
            kdets.append({"image_id": i, "category_id": 1, "keypoints": pk, "score": round(rnd.random(), 4)})
    for _ in range(rnd.randint(0, 2)):
        x, y = rnd.uniform(0, 500), rnd.uniform(0, 400)
        pk = []
        for j in range(K): pk += [x + rnd.uniform(0, 80), y + rnd.uniform(0, 80), 1]
        kdets.append({"image_id": i, "category_id": 1, "keypoints": pk, "score": round(rnd.random(), 4)})
json.dump(R({"images": kimgs, "annotations": kanns, "categories": [{"id": 1, "name": "thing", "keypoints": ["a", "b", "c", "d", "e"]}]}), open("xcheck-kgt.json", "w"))
json.dump(R(kdets), open("xcheck-kdt.json", "w"))
with contextlib.redirect_stdout(io.StringIO()):
    gt = COCO("xcheck-kgt.json"); dt = gt.loadRes("xcheck-kdt.json")
    E = COCOeval(gt, dt, "keypoints"); E.params.kpt_oks_sigmas = np.array(sig); E.evaluate(); E.accumulate(); E.summarize()
print("KP", " ".join(repr(float(s)) for s in E.stats))
