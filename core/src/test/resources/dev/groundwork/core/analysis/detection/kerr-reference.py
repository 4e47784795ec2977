# Writes the kerr-gt.json / kerr-dt.json fixtures (COCO person keypoints with planted jitter,
# inversion, swap and miss errors) and prints coco-analyze's keypoint error counts and its AP after
# each cumulative fix, for KeypointErrorReferenceTest. Not run by the build.
#
# coco-analyze (github.com/matteorr/coco-analyze, commit 9eb8a0a) is pure Python over numpy; its
# plotting imports (matplotlib, colour, skimage) and the compiled pycocotools.mask are not needed
# for keypoints and may be stand-in modules; np.float and np.linspace's float count are restored
# below for numpy >= 1.24.
# One change is made to its copy for the AP comparison: its fix places a keypoint at the distance
# sqrt(-ln(ks) * 2 * area * sigma^2), while OKS uses k = 2 sigma, so its "fixed" keypoints land at
# ks^(1/4); with (2 * sigma)^2 there they land at ks as intended (and as KeypointErrorAnalyzer does).
#   python3 kerr-reference.py [path-to-patched-coco-analyze]
import json, random, sys, io, contextlib, math

NAMES = ["nose", "left_eye", "right_eye", "left_ear", "right_ear", "left_shoulder",
         "right_shoulder", "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_hip",
         "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle"]
SIG = [.26, .25, .25, .35, .35, .79, .79, .72, .72, .62, .62, 1.07, 1.07, .87, .87, .89, .89]
MIRROR = [0, 2, 1, 4, 3, 6, 5, 8, 7, 10, 9, 12, 11, 14, 13, 16, 15]
# a person facing the camera in a unit box: its left side on the image's right
TEMPLATE = [(.5, .1), (.55, .08), (.45, .08), (.6, .1), (.4, .1), (.7, .25), (.3, .25),
            (.78, .42), (.22, .42), (.82, .58), (.18, .58), (.62, .6), (.38, .6), (.63, .8),
            (.37, .8), (.64, .98), (.36, .98)]

rnd = random.Random(7)
images, anns, dets = [], [], []
aid = 1
def person(x, y, h):
    w = h * 0.5
    kp = []
    nv = 0
    for (u, v) in TEMPLATE:
        vis = 0 if rnd.random() < 0.1 else 2
        if vis:
            kp += [round(x + u * w, 2), round(y + v * h, 2), vis]; nv += 1
        else:
            kp += [0, 0, 0]
    return kp, nv, [x, y, w, h], round(w * h * 0.6, 2)

def ks_dist(area, j, ks):
    # the distance at which keypoint j has keypoint similarity ks
    k = 2 * SIG[j] / 10
    return math.sqrt(-math.log(ks) * 2 * area * k * k)

for i in range(1, 41):
    images.append({"id": i, "width": 640, "height": 480})
    people = []
    x = rnd.uniform(0, 100)
    for _ in range(rnd.choice([1, 2, 2, 3])):
        h = rnd.uniform(120, 300)
        kp, nv, box, area = person(x, rnd.uniform(0, 150), h)
        anns.append({"id": aid, "image_id": i, "category_id": 1, "bbox": box, "area": area,
                     "iscrowd": 0, "keypoints": kp, "num_keypoints": nv})
        people.append((kp, area)); aid += 1
        x += h * 0.5 * rnd.uniform(0.6, 1.1)   # neighbours overlap: swaps are possible
    for p, (kp, area) in enumerate(people):
        if rnd.random() < 0.1:
            continue                               # a missed person
        pk = []
        for j in range(17):
            gx, gy = (kp[3*j], kp[3*j+1]) if kp[3*j+2] else (kp[0] or 100, kp[1] or 100)
            d = ks_dist(area, j, rnd.uniform(0.9, 0.99))
            a = rnd.uniform(0, 2 * math.pi)
            pk += [gx + d * math.cos(a), gy + d * math.sin(a), 1]
        r = rnd.random()
        if r < 0.25:                               # inversion: one left/right pair exchanged
            j = rnd.choice([5, 7, 9, 11, 13, 15]); m = MIRROR[j]
            pk[3*j:3*j+2], pk[3*m:3*m+2] = pk[3*m:3*m+2], pk[3*j:3*j+2]
        elif r < 0.4 and len(people) > 1:          # swap: a joint of the neighbour
            o = people[p - 1 if p > 0 else 1][0]
            j = rnd.choice([9, 10, 15, 16])
            if o[3*j+2]:
                pk[3*j], pk[3*j+1] = o[3*j], o[3*j+1]
        elif r < 0.55:                             # miss: a joint far off
            j = rnd.randrange(17)
            pk[3*j] += rnd.choice([-1, 1]) * 0.6 * math.sqrt(area); pk[3*j+1] += 0.3 * math.sqrt(area)
        elif r < 0.75:                             # jitter: two joints imprecise
            for j in rnd.sample(range(17), 2):
                if kp[3*j+2]:
                    d = ks_dist(area, j, rnd.uniform(0.55, 0.8))
                    pk[3*j] = kp[3*j] + d; pk[3*j+1] = kp[3*j+1]
        if rnd.random() < 0.08:                    # the whole person flipped left/right
            pk2 = list(pk)
            for j in range(17):
                m = MIRROR[j]; pk2[3*j:3*j+2] = pk[3*m:3*m+2]
            pk = pk2
        dets.append({"image_id": i, "category_id": 1, "keypoints": [round(v, 2) for v in pk],
                     "score": round(rnd.uniform(0.3, 1), 4)})
    if rnd.random() < 0.3:                         # a hallucinated person
        kp, _, _, _ = person(rnd.uniform(300, 400), rnd.uniform(200, 300), rnd.uniform(100, 150))
        dets.append({"image_id": i, "category_id": 1,
                     "keypoints": [v if t % 3 != 2 else 1 for t, v in enumerate(kp)],
                     "score": round(rnd.uniform(0, 0.6), 4)})

gt = {"images": images, "annotations": anns, "categories": [{"id": 1, "name": "person",
      "supercategory": "person", "keypoints": NAMES,
      "skeleton": [[16, 14], [14, 12], [17, 15], [15, 13], [12, 13], [6, 12], [7, 13], [6, 7],
                   [6, 8], [7, 9], [8, 10], [9, 11], [2, 3], [1, 2], [1, 3], [2, 4], [3, 5],
                   [4, 6], [5, 7]]}]}
json.dump(gt, open("kerr-gt.json", "w"))
json.dump(dets, open("kerr-dt.json", "w"))
print("wrote", len(anns), "people,", len(dets), "predictions")

if len(sys.argv) > 1:
    sys.path.insert(0, sys.argv[1])
    import numpy as np
    np.float = float                      # removed in numpy 1.24; coco-analyze uses it
    _linspace = np.linspace                # coco-analyze passes a float count (old numpy took it)
    np.linspace = lambda a, b, n, **k: _linspace(a, b, int(n), **k)
    from pycocotools.coco import COCO
    from pycocotools.cocoanalyze import COCOanalyze
    with contextlib.redirect_stdout(io.StringIO()):
        cg = COCO("kerr-gt.json"); cd = cg.loadRes("kerr-dt.json")
        A = COCOanalyze(cg, cd, "keypoints")
        A.params.areaRng = [[32 ** 2, 1e5 ** 2]]; A.params.areaRngLbl = ["all"]
        A.analyze(check_kpts=True, check_scores=False, check_bckgd=False)
        A.summarize(makeplots=False)
    totals = {t: 0 for t in ["good", "jitter", "inversion", "swap", "miss"]}
    per_joint = {t: [0] * 17 for t in totals}
    for d in A.corrected_dts["all"]:
        if "good" in d:
            for t in totals:
                totals[t] += sum(d[t])
                for j in range(17): per_joint[t][j] += d[t][j]
    print("counts", totals)
    for t in per_joint: print("joint", t, per_joint[t])
    for err in ["baseline", "miss", "swap", "inversion", "jitter"]:
        auc = [s["auc"] for s in A.stats if s["err"] == err and s["areaRngLbl"] == "all"]
        print("AP", err, repr(float(np.mean(auc))))
