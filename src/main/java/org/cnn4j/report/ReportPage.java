package org.cnn4j.report;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.cnn4j.io.AtomicFiles;

/**
 * A self-contained HTML page built section by section: headings, text, tables and pictures. Pictures
 * are embedded as base64 PNG data URIs and the style sheet is inline, so the one file opens anywhere,
 * offline, with nothing to fetch. Text is HTML-escaped.
 */
public final class ReportPage {
    private final String title;
    private final StringBuilder body = new StringBuilder();
    private int images;

    public ReportPage(String title) {
        this.title = title;
    }

    public ReportPage heading(String text) {
        body.append("<h2>").append(escape(text)).append("</h2>\n");
        return this;
    }

    public ReportPage paragraph(String text) {
        body.append("<p>").append(escape(text)).append("</p>\n");
        return this;
    }

    /** A picture with a caption (also its alt text). */
    public ReportPage image(BufferedImage picture, String caption) {
        body.append("<figure><img src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(png(picture)))
                .append("\" width=\"").append(picture.getWidth()).append("\" height=\"").append(picture.getHeight())
                .append("\" alt=\"").append(escape(caption)).append("\"><figcaption>").append(escape(caption))
                .append("</figcaption></figure>\n");
        images++;
        return this;
    }

    /** A table with a header row; every row must have as many cells as the header. */
    public ReportPage table(List<String> header, List<List<String>> rows) {
        body.append("<table><tr>");
        header.forEach(h -> body.append("<th>").append(escape(h)).append("</th>"));
        body.append("</tr>\n");
        for (List<String> row : rows) {
            if (row.size() != header.size()) {
                throw new IllegalArgumentException("report: a table row has " + row.size() + " cells, the header " + header.size());
            }
            body.append("<tr>");
            row.forEach(c -> body.append("<td>").append(escape(c)).append("</td>"));
            body.append("</tr>\n");
        }
        body.append("</table>\n");
        return this;
    }

    /** How many pictures the page holds. */
    public int imageCount() {
        return images;
    }

    public String html() {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>" + escape(title) + "</title>\n<style>\n"
                + "body { font-family: sans-serif; max-width: 1200px; margin: 2em auto; padding: 0 1em; color: #222; }\n"
                + "figure { display: inline-block; margin: 0.5em 1em 1em 0; vertical-align: top; }\n"
                + "figcaption { font-size: 0.9em; color: #555; }\n"
                + "img { max-width: 100%; height: auto; image-rendering: pixelated; }\n"
                + "table { border-collapse: collapse; margin: 0.5em 0 1em; }\n"
                + "th, td { border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: right; }\n"
                + "th:first-child, td:first-child { text-align: left; }\n"
                + "</style>\n</head>\n<body>\n<h1>" + escape(title) + "</h1>\n" + body + "</body>\n</html>\n";
    }

    /** Writes the page atomically (a reader never sees half a report). */
    public void write(Path file) throws IOException {
        AtomicFiles.write(file, html().getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] png(BufferedImage picture) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(picture, "png", bytes)) {
                throw new IllegalStateException("report: no PNG writer available");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("report: encoding a picture as PNG failed (" + e.getMessage() + ")", e);
        }
        return bytes.toByteArray();
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
