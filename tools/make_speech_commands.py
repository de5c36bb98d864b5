#!/usr/bin/env python3
"""Build a synthetic, reproducible spoken-command dataset for cnn4j's AudioFolder.

Twenty command words (zero..nine, yes no up down left right on off stop go) are
rendered with the text-to-speech engines installed on the machine, then
post-processed into fixed-size clips:

  OUT/train/<word>/*.wav        espeak-ng, many voices x variants x speed/pitch,
                                part of the clips with white/pink noise
  OUT/test/<word>/*.wav         espeak-ng, but every clip uses a held-out voice
                                or a held-out variant (so every voice+variant
                                combination in here is absent from train)
  OUT/test-other/<word>/*.wav   flite (kal awb_time kal16 awb rms slt) and
                                festival (kal_diphone): engines never in train
  OUT/manifest.csv              one row per clip with every synthesis parameter

Every clip: RIFF WAV, 16-bit PCM, mono, 8000 Hz, exactly 8000 samples (1.0 s).

Processing of one clip
  1. synthesise the word (engine's native rate: espeak 22050, flite 8k/16k,
     festival 16k) into a temporary WAV;
  2. resample to 8000 Hz in the frequency domain (numpy FFT, raised-cosine
     roll-off 3.6-4.0 kHz as anti-alias). An optional "tape" factor is folded
     into the same resampling: tape>1 makes the clip shorter and higher
     (used as the pitch knob for flite voices that ignore f0 settings, and as
     a small formant/speed augmentation in train);
  3. trim leading/trailing silence: 10 ms frames, a frame is speech if its RMS
     is within 40 dB of the loudest frame (and above an absolute floor), 20 ms
     margin kept on both sides;
  4. if the trimmed word is longer than 0.98 s the clip is re-synthesised
     faster (espeak -s, flite duration_stretch, festival Duration_Stretch; up
     to 3 times); if it is still too long the centre 0.98 s is kept (crop) with
     10 ms fades. The manifest column "fit" says ok / resynth / crop;
  5. centre in 1.0 s with zero padding;
  6. optionally add white or pink noise at a random SNR (SNR measured against
     the power of the speech part, not of the padding);
  7. normalise the peak to a random level in [-6, -1] dBFS, write int16.
  Every clip is checked: speech part >= 0.08 s and RMS >= -50 dBFS before
  normalisation, otherwise the clip counts as failed (listed in
  OUT/failures.csv and in the summary, exit status 2).

Reproducibility
  All parameters of all clips are drawn up front, in the main process, from
  random.Random(seed); each clip also gets its own noise seed. Workers are pure
  functions of their job, so the output does not depend on scheduling, and the
  same --seed gives the same file list, the same parameters and (with the same
  engine versions) the same audio. The voice/variant split is fixed in this
  file (it does not depend on the seed) so test sets of different seeds are
  comparable. --sample picks a fixed subset of the very same jobs, so sample
  files are byte-identical to the corresponding files of a full run.

Requirements
  python3 (stdlib + numpy), and on PATH: espeak-ng, flite, text2wave (Debian
  packages: espeak-ng, flite, festival + festvox-kallpc16k or festvox-kdlpc16k
  providing kal_diphone). No sox/scipy needed. A missing tool or voice is
  reported by name and the script exits with status 1 before doing any work.

Usage
  python3 tools/make_speech_commands.py --out /tmp/speech              # full set
  python3 tools/make_speech_commands.py --out /tmp/speech-sample --sample
  options: --seed N (default 1234), --per-word N (train clips/word, 200),
           --test-per-word N (test clips/word, 40),
           --other-per-word N (test-other target clips/word, 42),
           --noise-frac F (fraction of train clips with noise, 0.5),
           --jobs N (worker processes, 2), --nice N (os.nice increment, 10),
           --sample-train N / --sample-other N (sample sizes, 6 / 3),
           --force (write into a non-empty OUT).
  The process lowers its own priority (os.nice, inherited by the synthesiser
  child processes) and uses a pool of 2 workers by default.
"""

import argparse
import csv
import hashlib
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import wave

import numpy as np

WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven",
         "eight", "nine", "yes", "no", "up", "down", "left", "right", "on",
         "off", "stop", "go"]

SR = 8000            # output sample rate
CLIP = 8000          # output length in samples (1.0 s)
MAX_SPEECH = int(0.98 * SR)   # longest speech part we accept before speed-up/crop

# ---------------------------------------------------------------------------
# espeak-ng voice / variant split (fixed, independent of the seed)
# ---------------------------------------------------------------------------
# English accents used in train, with their sampling weight.
TRAIN_EN_VOICES = ["en", "en-us", "en-gb-x-rp", "en-gb-scotland", "en-029",
                   "en-gb-x-gbclan"]
# Non-English voices reading the English spelling (German/Dutch/Scandinavian
# letter-to-sound rules): extra variety, train only, ~15 % of train clips.
TRAIN_FOREIGN_VOICES = ["de", "nl", "sv", "da", "nb", "af"]
FOREIGN_FRAC = 0.15
# English accents never used in train.
TEST_VOICES = ["en-gb-x-gbcwmd", "en-us-nyc"]

# "" = the voice's default variant.
TRAIN_VARIANTS = [
    "", "m1", "m2", "m3", "m5", "m6", "m7", "f1", "f2", "f4", "croak",
    "whisper", "klatt", "klatt2", "klatt4", "klatt5",
    "adam", "Alex", "Alicia", "Andrea", "Annie", "AnxiousAndy", "antonio",
    "aunty", "benjamin", "caleb", "david", "Denis", "Diogo", "ed", "edward",
    "Gene", "grandpa", "gustave", "Henrique", "Hugo", "iven", "iven3",
    "Jacky", "kaukovalta", "Lee", "Marco", "Mario", "max", "Michael",
    "michel", "Mike", "miguel", "norbert", "pablo", "paul", "pedro",
    "quincy", "rob", "robert", "robosoft", "robosoft2", "robosoft4",
    "robosoft5", "robosoft7", "sandro", "shelby", "steph", "steph3",
    "travis", "victor", "zac", "anika", "f5", "RicishayMax", "Storm",
]
# Variants never used in train (test only).
TEST_VARIANTS = [
    "m4", "m8", "f3", "whisperf", "klatt3", "klatt6", "Andy", "belinda",
    "boris", "john", "linda", "steph2", "grandma", "Gene2", "edward2",
    "iven2", "iven4", "marcelo", "robosoft3", "robosoft6", "robosoft8",
    "anikaRobot", "RicishayMax2", "Tweaky",
]

# ---------------------------------------------------------------------------
# test-other voices
# ---------------------------------------------------------------------------
# flite voices. "f0" = the voice honours --setf int_f0_target_mean (diphone
# voices) or --setf f0_shift (slt); rms/awb_time ignore both, so their pitch is
# varied with the tape factor instead. awb_time is a limited-domain (clock)
# voice: only the digits one..nine are in its domain (other words come out as
# 0.14 s of near-silence), and it ignores duration_stretch as well.
FLITE_VOICES = {
    "kal":      {"f0": "mean", "f0_range": (80, 140)},
    "kal16":    {"f0": "mean", "f0_range": (80, 140)},
    "awb":      {"f0": "mean", "f0_range": (85, 150)},
    "rms":      {"f0": None},
    "slt":      {"f0": "shift", "f0_range": (0.8, 1.25)},
    "awb_time": {"f0": None, "words": ["one", "two", "three", "four", "five",
                                      "six", "seven", "eight", "nine"],
                 "no_stretch": True, "max_per_word": 4},
}
FESTIVAL_VOICES = ["kal_diphone"]


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------
def die(msg):
    print("ERROR: " + msg, file=sys.stderr)
    sys.exit(1)


def espeak_data_dir():
    out = subprocess.run(["espeak-ng", "--version"], capture_output=True,
                         text=True).stdout
    if "Data at:" in out:
        return out.split("Data at:")[1].strip()
    return None


def check_tools(need_festival=True):
    for tool, pkg in (("espeak-ng", "espeak-ng"), ("flite", "flite"),
                      ("text2wave", "festival")):
        if tool == "text2wave" and not need_festival:
            continue
        if shutil.which(tool) is None:
            die("required tool '%s' not found on PATH (Debian package: %s)"
                % (tool, pkg))
    # espeak voices and variants
    data = espeak_data_dir()
    missing = [v for v in TRAIN_EN_VOICES + TRAIN_FOREIGN_VOICES + TEST_VOICES
               if subprocess.run(["espeak-ng", "-q", "-v", v, "x"],
                                 capture_output=True).returncode != 0]
    if missing:
        die("espeak-ng voice(s) not installed: " + " ".join(missing))
    if data:
        vdir = os.path.join(data, "voices", "!v")
        missing = [v for v in TRAIN_VARIANTS + TEST_VARIANTS
                   if v and not os.path.exists(os.path.join(vdir, v))]
        if missing:
            die("espeak-ng variant(s) not found in %s: %s"
                % (vdir, " ".join(missing)))
    # flite voices
    fl = subprocess.run(["flite", "-lv"], capture_output=True,
                        text=True).stdout.split()
    missing = [v for v in FLITE_VOICES if v not in fl]
    if missing:
        die("flite voice(s) not available (flite -lv): " + " ".join(missing))
    if need_festival:
        out = subprocess.run(["festival", "--pipe"], input="(print (voice.list))",
                             capture_output=True, text=True).stdout
        missing = [v for v in FESTIVAL_VOICES if v not in out]
        if missing:
            die("festival voice(s) not installed: %s (festival reports %s)"
                % (" ".join(missing), out.strip()))


def read_wav(path):
    with wave.open(path, "rb") as w:
        sr, ch, sw, n = (w.getframerate(), w.getnchannels(), w.getsampwidth(),
                         w.getnframes())
        raw = w.readframes(n)
    if sw != 2:
        raise RuntimeError("unexpected sample width %d in %s" % (sw, path))
    x = np.frombuffer(raw, dtype="<i2").astype(np.float64) / 32768.0
    if ch > 1:
        x = x.reshape(-1, ch).mean(axis=1)
    return x, sr


def write_wav(path, x):
    pcm = np.clip(np.round(x * 32767.0), -32768, 32767).astype("<i2")
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SR)
        w.writeframes(pcm.tobytes())


def resample(x, sr_in, tape=1.0):
    """FFT resampling to SR; tape>1 = faster+higher (tape-speed change)."""
    n_out = max(1, int(round(len(x) * SR / (sr_in * tape))))
    if n_out == len(x):
        return x.copy()
    X = np.fft.rfft(x)
    m = n_out // 2 + 1
    if m <= len(X):
        Y = X[:m].copy()
    else:
        Y = np.zeros(m, dtype=complex)
        Y[:len(X)] = X
    # raised-cosine roll-off between 0.9 and 1.0 of the output Nyquist
    f = np.arange(m) / max(1, m - 1)
    ramp = np.clip((f - 0.9) / 0.1, 0.0, 1.0)
    Y *= 0.5 * (1.0 + np.cos(np.pi * ramp))
    return np.fft.irfft(Y, n_out) * (n_out / len(x))


def trim(x, frame=80, rel_db=-40.0, floor=1e-4, margin=160):
    """Return x without leading/trailing silence (energy threshold)."""
    nf = len(x) // frame
    if nf == 0:
        return x[:0]
    e = np.sqrt(np.mean(x[:nf * frame].reshape(nf, frame) ** 2, axis=1))
    thr = max(e.max() * 10 ** (rel_db / 20.0), floor)
    idx = np.nonzero(e > thr)[0]
    if len(idx) == 0:
        return x[:0]
    a = max(0, idx[0] * frame - margin)
    b = min(len(x), (idx[-1] + 1) * frame + margin)
    return x[a:b]


def pink_noise(n, rng):
    w = rng.standard_normal(n)
    W = np.fft.rfft(w)
    f = np.arange(len(W), dtype=np.float64)
    f[0] = 1.0
    W /= np.sqrt(f)
    p = np.fft.irfft(W, n)
    return p / (np.std(p) + 1e-12)


# ---------------------------------------------------------------------------
# synthesis (runs in worker processes)
# ---------------------------------------------------------------------------
def synth(job, tmpwav, rate_mult):
    """Run the engine for job; rate_mult>1 asks for faster speech."""
    word = job["word"]
    if job["synth"] == "espeak-ng":
        voice = job["voice"] + ("+" + job["variant"] if job["variant"] else "")
        speed = int(round(job["speed"] * rate_mult))
        cmd = ["espeak-ng", "-v", voice, "-s", str(speed), "-p",
               str(job["pitch"]), "-a", str(job["amp"]), "-z", "-w", tmpwav,
               word]
        used = speed
    elif job["synth"] == "flite":
        stretch = job["speed"] / rate_mult
        cmd = ["flite", "-voice", job["voice"]]
        if not FLITE_VOICES[job["voice"]].get("no_stretch"):
            cmd += ["--setf", "duration_stretch=%.3f" % stretch]
        f0 = FLITE_VOICES[job["voice"]]["f0"]
        if f0 == "mean":
            cmd += ["--setf", "int_f0_target_mean=%d" % job["pitch"]]
        elif f0 == "shift":
            cmd += ["--setf", "f0_shift=%.3f" % job["pitch"]]
        cmd += ["-t", word, "-o", tmpwav]
        used = round(stretch, 3)
    elif job["synth"] == "festival":
        stretch = job["speed"] / rate_mult
        ev = ("(begin (voice_%s) (Parameter.set 'Duration_Stretch %.3f) "
              "(set! int_lr_params '((target_f0_mean %d) (target_f0_std %d) "
              "(model_f0_mean 170) (model_f0_std 34))))"
              % (job["voice"], stretch, job["pitch"], job["pitch_std"]))
        cmd = ["text2wave", "-o", tmpwav, "-eval", ev]
        used = round(stretch, 3)
    else:
        raise ValueError(job["synth"])
    r = subprocess.run(cmd, input=(word + "\n") if job["synth"] == "festival"
                       else None, capture_output=True, text=True, timeout=60)
    if r.returncode != 0 or not os.path.exists(tmpwav):
        raise RuntimeError("%s failed (rc=%d): %s" % (cmd[0], r.returncode,
                                                        r.stderr.strip()[:200]))
    return used


def run_job(job):
    """Synthesise, post-process and write one clip. Returns a result dict."""
    res = {"file": job["file"], "ok": False, "error": "", "fit": "ok",
           "used_speed": job["speed"], "speech_s": 0.0}
    try:
        fd, tmpwav = tempfile.mkstemp(suffix=".wav", prefix="spc_")
        os.close(fd)
        try:
            rate = 1.0
            for attempt in range(4):
                used = synth(job, tmpwav, rate)
                x, sr = read_wav(tmpwav)
                y = trim(resample(x, sr, job["tape"]))
                if len(y) <= MAX_SPEECH or job["synth"] == "flite" and \
                        FLITE_VOICES[job["voice"]].get("no_stretch"):
                    break
                rate *= 1.05 * len(y) / MAX_SPEECH
                res["fit"] = "resynth"
        finally:
            if os.path.exists(tmpwav):
                os.remove(tmpwav)
        res["used_speed"] = used
        if len(y) > MAX_SPEECH:
            a = (len(y) - MAX_SPEECH) // 2
            y = y[a:a + MAX_SPEECH].copy()
            fade = np.linspace(0.0, 1.0, 80)
            y[:80] *= fade
            y[-80:] *= fade[::-1]
            res["fit"] = "crop"
        res["speech_s"] = round(len(y) / SR, 3)
        rms = float(np.sqrt(np.mean(y ** 2))) if len(y) else 0.0
        if len(y) < int(0.08 * SR) or rms < 10 ** (-50 / 20.0):
            raise RuntimeError("silent or too short output (%.3f s, rms %.1f dBFS)"
                               % (len(y) / SR, 20 * np.log10(rms + 1e-12)))
        clip = np.zeros(CLIP)
        a = (CLIP - len(y)) // 2
        clip[a:a + len(y)] = y
        if job["noise"] != "none":
            rng = np.random.default_rng(job["noise_seed"])
            n = rng.standard_normal(CLIP) if job["noise"] == "white" \
                else pink_noise(CLIP, rng)
            sp = np.mean(y ** 2)
            n *= np.sqrt(sp / 10 ** (job["snr"] / 10.0)) / (np.std(n) + 1e-12)
            clip = clip + n
        clip *= 10 ** (job["peak_db"] / 20.0) / (np.max(np.abs(clip)) + 1e-12)
        os.makedirs(os.path.dirname(job["path"]), exist_ok=True)
        write_wav(job["path"], clip)
        res["ok"] = True
    except Exception as e:  # reported by the main process
        res["error"] = "%s: %s" % (type(e).__name__, e)
    return res


# ---------------------------------------------------------------------------
# planning (main process, seeded)
# ---------------------------------------------------------------------------
def safe(s):
    return s.replace("+", "-").replace(" ", "_")


def common(rng, job):
    job["peak_db"] = round(rng.uniform(-6.0, -1.0), 2)
    job["noise_seed"] = rng.randrange(2 ** 32)
    job.setdefault("noise", "none")
    job.setdefault("snr", "")
    job.setdefault("tape", 1.0)
    job.setdefault("amp", "")
    job.setdefault("pitch_std", "")
    return job


def plan_espeak(rng, word, n, split, noise_frac):
    jobs, seen = [], {}
    tries = 0
    while len(jobs) < n:
        tries += 1
        if tries > 100 * n:
            raise RuntimeError("cannot draw enough distinct espeak settings")
        if split == "train":
            voices = TRAIN_FOREIGN_VOICES if rng.random() < FOREIGN_FRAC \
                else TRAIN_EN_VOICES
            voice = rng.choice(voices)
            variant = rng.choice(TRAIN_VARIANTS)
        else:
            # every test clip has a held-out voice or a held-out variant
            kind = rng.random()
            if kind < 1 / 3:      # held-out voice, train variant
                voice, variant = rng.choice(TEST_VOICES), rng.choice(TRAIN_VARIANTS)
            elif kind < 2 / 3:    # held-out voice, held-out variant
                voice, variant = rng.choice(TEST_VOICES), rng.choice(TEST_VARIANTS)
            else:                 # train voice, held-out variant
                voice = rng.choice(TRAIN_EN_VOICES)
                variant = rng.choice(TEST_VARIANTS)
        speed = rng.randint(120, 220)
        pitch = rng.randint(20, 80)
        # neighbouring speeds/pitches sound (and correlate) almost identically,
        # so two clips of one word with the same voice+variant must differ by
        # >= 6 in speed or >= 5 in pitch
        near = seen.setdefault((voice, variant), [])
        if any(abs(speed - s) < 6 and abs(pitch - p) < 5 for s, p in near):
            continue
        near.append((speed, pitch))
        job = {"synth": "espeak-ng", "voice": voice, "variant": variant,
               "speed": speed, "pitch": pitch, "amp": rng.randint(60, 180),
               "word": word, "split": split}
        if split == "train":
            job["tape"] = round(rng.uniform(0.94, 1.06), 3)
            if rng.random() < noise_frac:
                job["noise"] = rng.choice(["white", "pink"])
                job["snr"] = round(rng.uniform(10.0, 40.0), 1)
        jobs.append(common(rng, job))
    return jobs


def plan_other(rng, word, n_target):
    voices = [("flite", v) for v in FLITE_VOICES
              if word in FLITE_VOICES[v].get("words", WORDS)]
    voices += [("festival", v) for v in FESTIVAL_VOICES]
    full = [sv for sv in voices if "max_per_word" not in FLITE_VOICES.get(sv[1], {})]
    capped = [sv for sv in voices if sv not in full]
    per = -(-(n_target - sum(FLITE_VOICES[v]["max_per_word"] for _, v in capped))
            // max(1, len(full)))
    jobs = []
    for synth_name, v in voices:
        cfg = FLITE_VOICES.get(v, {}) if synth_name == "flite" else {}
        k = min(per, cfg.get("max_per_word", per))
        # stratified speeds so that the few clips per voice cover the range
        for i in range(k):
            lo = 0.8 + 0.5 * i / k
            stretch = round(rng.uniform(lo, lo + 0.5 / k), 3)
            job = {"synth": synth_name, "voice": v, "variant": "",
                   "word": word, "split": "test-other", "speed": stretch}
            if synth_name == "festival":
                job["pitch"] = rng.randint(80, 150)
                job["pitch_std"] = rng.randint(10, 30)
            elif cfg.get("f0") == "mean":
                job["pitch"] = rng.randint(*cfg["f0_range"])
            elif cfg.get("f0") == "shift":
                job["pitch"] = round(rng.uniform(*cfg["f0_range"]), 3)
            else:
                job["pitch"] = ""
                # no pitch control in the engine: tape-speed change instead
                lo_t = 0.9 + 0.2 * i / k
                job["tape"] = round(rng.uniform(lo_t, lo_t + 0.2 / k), 3)
            if cfg.get("no_stretch"):
                job["speed"] = 1.0
            jobs.append(common(rng, job))
    return jobs


def plan(args):
    rng = random.Random(args.seed)
    jobs = []
    for word in WORDS:
        jobs += plan_espeak(rng, word, args.per_word, "train", args.noise_frac)
    for word in WORDS:
        jobs += plan_espeak(rng, word, args.test_per_word, "test", 0.0)
    for word in WORDS:
        jobs += plan_other(rng, word, args.other_per_word)
    counters = {}
    for job in jobs:
        k = (job["split"], job["word"])
        i = counters.get(k, 0)
        counters[k] = i + 1
        job["index"] = i
        name = "%s_%04d_%s_%s.wav" % (job["word"], i, job["synth"],
                                      safe(job["voice"] + ("+" + job["variant"]
                                                           if job["variant"] else "")))
        job["file"] = "/".join([job["split"], job["word"], name])
    return jobs


def select_sample(jobs, n_train, n_other):
    """Fixed, diverse subset: first n_train train clips of each word (they are
    in random order already) and n_other test-other clips spread over voices."""
    out = []
    for wi, word in enumerate(WORDS):
        tr = [j for j in jobs if j["split"] == "train" and j["word"] == word]
        out += tr[:n_train]
        ot = [j for j in jobs if j["split"] == "test-other" and j["word"] == word]
        if n_other and ot:
            # evenly spaced over the voice-ordered list, rotated by word so
            # that all test-other voices and speeds turn up in the sample
            step = len(ot) / n_other
            out += [ot[(int(i * step) + 3 * wi) % len(ot)] for i in range(n_other)]
    return out


def verify(out, rows):
    """Listen-free sanity check of the written files: format and length,
    RMS/peak per split, byte-identical files, near-duplicates (zero-lag
    waveform correlation > 0.99 between two clips of the same word/split)."""
    groups = {}
    for r in rows:
        groups.setdefault((r[2], r[1]), []).append(r[0])
    stats = {}
    for (split, word), files in sorted(groups.items()):
        xs = []
        for f in files:
            with wave.open(os.path.join(out, f), "rb") as w:
                fmt = (w.getnchannels(), w.getsampwidth(), w.getframerate(),
                       w.getnframes())
                if fmt != (1, 2, SR, CLIP):
                    print("WARNING: %s has format %s" % (f, fmt), file=sys.stderr)
                xs.append(np.frombuffer(w.readframes(CLIP), "<i2") / 32768.0)
        X = np.stack(xs)
        st = stats.setdefault(split, {"rms": [], "peak": [], "near": 0})
        st["rms"] += list(20 * np.log10(np.sqrt(np.mean(X ** 2, axis=1)) + 1e-12))
        st["peak"] += list(20 * np.log10(np.max(np.abs(X), axis=1) + 1e-12))
        Xn = X / (np.linalg.norm(X, axis=1, keepdims=True) + 1e-12)
        C = np.triu(Xn @ Xn.T, 1)
        st["near"] += int((C > 0.99).sum())
    for split, st in stats.items():
        r = np.array(st["rms"])
        print("  check %-12s 1.000 s each, RMS dBFS min/median/max %.1f/%.1f/%.1f, "
              "peak %.1f..%.1f dBFS, near-duplicate pairs %d"
              % (split, r.min(), np.median(r), r.max(), min(st["peak"]),
                 max(st["peak"]), st["near"]))
    if len(set(r[16] for r in rows)) != len(rows):
        print("WARNING: some clips are byte-identical", file=sys.stderr)
    else:
        print("  check all %d files differ (md5)" % len(rows))


MANIFEST_COLS = ["file", "word", "split", "synthesiser", "voice", "variant",
                 "speed", "pitch", "pitch_std", "amplitude", "tape", "noise",
                 "snr_db", "peak_dbfs", "speech_s", "fit", "md5"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n", 1)[1])
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--per-word", type=int, default=200,
                    help="train clips per word (default 200)")
    ap.add_argument("--test-per-word", type=int, default=40,
                    help="test clips per word (default 40)")
    ap.add_argument("--other-per-word", type=int, default=42,
                    help="target test-other clips per word (default 42)")
    ap.add_argument("--noise-frac", type=float, default=0.5,
                    help="fraction of train clips with added noise (0.5)")
    ap.add_argument("--sample", action="store_true",
                    help="write only a small demo subset (see --sample-*)")
    ap.add_argument("--sample-train", type=int, default=6)
    ap.add_argument("--sample-other", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=2, help="worker processes (2)")
    ap.add_argument("--nice", type=int, default=10,
                    help="niceness increment for this process and its children")
    ap.add_argument("--force", action="store_true",
                    help="allow writing into a non-empty --out")
    args = ap.parse_args()

    if args.nice:
        try:
            os.nice(args.nice)
        except OSError:
            pass
    out = os.path.abspath(args.out)
    if os.path.isdir(out) and os.listdir(out) and not args.force:
        die("%s is not empty (use --force to write into it)" % out)
    jobs = plan(args)
    if args.sample:
        jobs = select_sample(jobs, args.sample_train, args.sample_other)
    check_tools(need_festival=any(j["synth"] == "festival" for j in jobs))
    for j in jobs:
        j["path"] = os.path.join(out, j["file"])
    os.makedirs(out, exist_ok=True)

    import multiprocessing as mp
    t0 = time.time()
    results = {}
    with mp.Pool(args.jobs) as pool:
        for k, r in enumerate(pool.imap_unordered(run_job, jobs, chunksize=4)):
            results[r["file"]] = r
            if (k + 1) % 500 == 0 or k + 1 == len(jobs):
                print("  %d/%d clips  %.0f s" % (k + 1, len(jobs), time.time() - t0),
                      flush=True)
    elapsed = time.time() - t0

    rows, failures = [], []
    for j in jobs:
        r = results[j["file"]]
        if not r["ok"]:
            failures.append((j, r["error"]))
            continue
        with open(j["path"], "rb") as fh:
            md5 = hashlib.md5(fh.read()).hexdigest()
        rows.append([j["file"], j["word"], j["split"], j["synth"], j["voice"],
                     j["variant"], r["used_speed"], j["pitch"], j["pitch_std"],
                     j["amp"], j["tape"], j["noise"], j["snr"], j["peak_db"],
                     r["speech_s"], r["fit"], md5])
    rows.sort()
    with open(os.path.join(out, "manifest.csv"), "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(MANIFEST_COLS)
        w.writerows(rows)
    if failures:
        with open(os.path.join(out, "failures.csv"), "w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["file", "synthesiser", "voice", "variant", "error"])
            for j, e in failures:
                w.writerow([j["file"], j["synth"], j["voice"], j["variant"], e])

    # summary
    total = sum(os.path.getsize(os.path.join(dp, f))
                for dp, _, fs in os.walk(out) for f in fs)
    print("seed %d, %d clips written in %.1f s (%d failed), %s: %.2f MB (%d bytes)"
          % (args.seed, len(rows), elapsed, len(failures), out, total / 1e6, total))
    for split in ("train", "test", "test-other"):
        counts = [sum(1 for r in rows if r[2] == split and r[1] == w) for w in WORDS]
        if sum(counts):
            print("  %-12s %5d clips, per word min %d max %d" %
                  (split, sum(counts), min(counts), max(counts)))
    fits = {}
    for r in rows:
        fits[r[15]] = fits.get(r[15], 0) + 1
    print("  fit: " + ", ".join("%s=%d" % kv for kv in sorted(fits.items())))
    verify(out, rows)
    for j, e in failures[:20]:
        print("  FAILED %s (%s %s%s): %s" % (j["file"], j["synth"], j["voice"],
              "+" + j["variant"] if j["variant"] else "", e), file=sys.stderr)
    if failures:
        sys.exit(2)


if __name__ == "__main__":
    main()
