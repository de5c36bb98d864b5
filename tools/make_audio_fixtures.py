#!/usr/bin/env python3
"""Regenerates the audio front end's reference values (src/test/resources/org/cnn4j/audio/logmel-torch.txt).

The STFT is torch.stft's (center=True, pad_mode="reflect", periodic Hann window, one-sided), in float64;
the mel filters are torchaudio's melscale_fbanks(norm=None, mel_scale="htk") written out below, since
torchaudio is not installed here; the log-mel value is log(mel power + 1e-6). The signals are formulas,
so the file holds only results and LogMelSpectrogramTest rebuilds the inputs:

    tones   0.5 sin(2 pi 440 t) + 0.25 sin(2 pi 1250 t + 0.3)
    chirp   0.6 sin(2 pi (100 t + (3600 - 100) t^2 / (2 T)))   (a linear sweep 100 -> 3600 Hz over the clip)
    golden  0.8 frac(0.6180339887498949 n) - 0.4                 (aperiodic and broadband)

with t = n / sample_rate and T the clip's duration. Sections: "name rows cols" then rows x cols values.

    python3 tools/make_audio_fixtures.py   (torch 1.13, as Debian packages it)
"""
import math
from pathlib import Path

import torch

TARGET = Path(__file__).resolve().parent.parent / "src/test/resources/org/cnn4j/audio/logmel-torch.txt"


def signal(name, sample_rate, length):
    n = torch.arange(length, dtype=torch.float64)
    t = n / sample_rate
    if name == "tones":
        return 0.5 * torch.sin(2 * math.pi * 440 * t) + 0.25 * torch.sin(2 * math.pi * 1250 * t + 0.3)
    if name == "chirp":
        duration = length / sample_rate
        return 0.6 * torch.sin(2 * math.pi * (100 * t + (3600 - 100) * t * t / (2 * duration)))
    return 0.8 * torch.frac(0.6180339887498949 * n) - 0.4


def hz_to_mel(f):
    return 2595.0 * math.log10(1.0 + f / 700.0)


def mel_to_hz(m):
    return 700.0 * (10.0 ** (m / 2595.0) - 1.0)


def mel_filters(n_freqs, f_min, f_max, n_mels, sample_rate):
    """torchaudio.functional.melscale_fbanks with norm=None, mel_scale="htk": [n_freqs, n_mels]."""
    all_freqs = torch.linspace(0, sample_rate // 2, n_freqs, dtype=torch.float64)
    m_pts = torch.linspace(hz_to_mel(f_min), hz_to_mel(f_max), n_mels + 2, dtype=torch.float64)
    f_pts = 700.0 * (10.0 ** (m_pts / 2595.0) - 1.0)
    f_diff = f_pts[1:] - f_pts[:-1]
    slopes = f_pts.unsqueeze(0) - all_freqs.unsqueeze(1)
    down = -slopes[:, :-2] / f_diff[:-1]
    up = slopes[:, 2:] / f_diff[1:]
    return torch.clamp(torch.min(down, up), min=0)


def stft(x, n_fft, hop):
    return torch.stft(x, n_fft, hop_length=hop, window=torch.hann_window(n_fft, dtype=torch.float64), center=True,
                      pad_mode="reflect", return_complex=True)  # [bins, frames]


def log_mel(x, sample_rate, n_fft, hop, n_mels, f_min, f_max):
    power = stft(x, n_fft, hop).abs() ** 2
    fb = mel_filters(n_fft // 2 + 1, f_min, f_max, n_mels, sample_rate)
    return torch.log(fb.T @ power + 1e-6)  # [mels, frames]


def section(out, name, values):
    rows, cols = values.shape
    out.append(f"{name} {rows} {cols}")
    for r in range(rows):
        out.append(" ".join(f"{v:.6g}" for v in values[r].tolist()))


def main():
    out = []
    for name in ("tones", "chirp", "golden"):  # the 8 kHz defaults: 400 samples make 6 frames
        section(out, f"logmel-8k-{name}", log_mel(signal(name, 8000, 400), 8000, 256, 80, 40, 20.0, 4000.0))
    x = signal("tones", 16000, 120)  # 16 kHz, n_fft 64, hop 16, 10 mels over 0-8000 Hz: 8 frames
    section(out, "logmel-16k-tones", log_mel(x, 16000, 64, 16, 10, 0.0, 8000.0))
    section(out, "stft-magnitude-16k-tones", stft(x, 64, 16).abs())
    TARGET.write_text("\n".join(out) + "\n")
    print(f"wrote {TARGET} ({TARGET.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
