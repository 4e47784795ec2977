# Prints TIDE's (github.com/dbolya/tide, commit 49a5d2a) six main and two special dAPs on the
# xcheck-gt.json / xcheck-dt.json fixtures WITHOUT their crowd annotations and with
# tied scores broken (see below), for TideReferenceTest.
# Not run by the build. (Crowds are left out because TIDE classifies a detection inside a crowd
# region as an error and its Loc/Cls fix can add it as a true positive, while TideAnalyzer ignores
# it as COCO does.)
#
# Run with Debian's python3 + numpy and TIDE's source on PYTHONPATH; TIDE's plotting imports
# (cv2, matplotlib, pandas, seaborn, appdirs) may be empty stand-in modules, and
# pycocotools.mask needs only iou() on [x, y, w, h] boxes (crowd: intersection / detection area):
#   PYTHONPATH=stubs:tide python3 tide-reference.py
# TIDE prints dAP x100; the values here are divided back to AP units [0, 1].
import json, sys
from tidecv import TIDE, Data
from tidecv.errors.main_errors import (ClassError, BoxError, OtherError, DuplicateError,
                                       BackgroundError, MissedError)
from tidecv.quantify import FalsePositiveError, FalseNegativeError

here = sys.argv[1] if len(sys.argv) > 1 else "."
gtj = json.load(open(here + "/xcheck-gt.json"))
dtj = json.load(open(here + "/xcheck-dt.json"))
gt = Data("gt", max_dets=100)
for im in gtj["images"]:
    gt.add_image(im["id"], str(im["id"]))
for c in gtj["categories"]:
    gt.add_class(c["id"], c["name"])
for a in gtj["annotations"]:
    if not a["iscrowd"]:
        gt.add_ground_truth(a["image_id"], a["category_id"], a["bbox"], None)
dt = Data("dt")
# Ties broken by input order (score + i * 1e-7; the scores have 4 decimals so no order changes
# otherwise): TIDE re-pushes fixed errors before the true positives, which reorders tied scores
# in every fixed run, while TideAnalyzer keeps one order (score, image, input).
for i, d in enumerate(dtj):
    dt.add_detection(d["image_id"], d["category_id"], d["score"] + i * 1e-7, d["bbox"], None)

tide = TIDE(pos_threshold=0.5, background_threshold=0.1, mode=TIDE.BOX)
run = tide.evaluate(gt, dt, name="dt")
# Unclamped main dAPs (TIDE clamps negatives to 0 in fix_main_errors; none is negative here).
main = {}
for t, name in [(ClassError, "Cls"), (BoxError, "Loc"), (OtherError, "Both"),
                (DuplicateError, "Dupl"), (BackgroundError, "Bkg"), (MissedError, "Miss")]:
    main[name] = run.fix_errors(lambda e, t=t: isinstance(e, t)).get_mAP() - run.ap
special = run.fix_special_errors()
counts = run.count_errors()
print("AP50", repr(run.ap / 100))
for name, v in main.items():
    print(name, repr(v / 100))
print("FalsePos", repr(special[FalsePositiveError] / 100))
print("FalseNeg", repr(special[FalseNegativeError] / 100))
print("counts", {t.short_name: n for t, n in counts.items()})
