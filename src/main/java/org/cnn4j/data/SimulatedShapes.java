package org.cnn4j.data;

import java.awt.Shape;
import java.awt.geom.Arc2D;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.List;

/** The outlines the shape simulator draws: ten classes, each centred on the origin within the unit circle. */
final class SimulatedShapes {
    static final List<String> CLASSES = List.of("circle", "square", "triangle", "diamond", "star", "cross", "ring", "arrow",
            "crescent", "hexagon");

    private SimulatedShapes() {
    }

    /** Class {@code label}'s outline; {@code aspect} stretches it vertically (1 = as designed). */
    static Shape outline(int label, double aspect) {
        Shape s = switch (label) {
            case 0 -> new Ellipse2D.Double(-1, -1, 2, 2);
            case 1 -> new Rectangle2D.Double(-0.75, -0.75, 1.5, 1.5);
            case 2 -> polygon(3, 1, 0);
            case 3 -> polygon(4, 1, 0);
            case 4 -> star(5, 1, 0.45);
            case 5 -> cross(0.32);
            case 6 -> ring(0.55);
            case 7 -> arrow();
            case 8 -> crescent();
            case 9 -> polygon(6, 1, 0);
            default -> throw new IllegalArgumentException("simulator: no shape class " + label);
        };
        return java.awt.geom.AffineTransform.getScaleInstance(1, aspect).createTransformedShape(s);
    }

    private static Shape polygon(int corners, double radius, double phase) {
        Path2D.Double p = new Path2D.Double();
        for (int i = 0; i < corners; i++) {
            double a = phase + 2 * Math.PI * i / corners - Math.PI / 2;
            if (i == 0) {
                p.moveTo(radius * Math.cos(a), radius * Math.sin(a));
            } else {
                p.lineTo(radius * Math.cos(a), radius * Math.sin(a));
            }
        }
        p.closePath();
        return p;
    }

    private static Shape star(int points, double outer, double inner) {
        Path2D.Double p = new Path2D.Double();
        for (int i = 0; i < 2 * points; i++) {
            double r = i % 2 == 0 ? outer : inner, a = Math.PI * i / points - Math.PI / 2;
            if (i == 0) {
                p.moveTo(r * Math.cos(a), r * Math.sin(a));
            } else {
                p.lineTo(r * Math.cos(a), r * Math.sin(a));
            }
        }
        p.closePath();
        return p;
    }

    private static Shape cross(double halfWidth) {
        Area a = new Area(new Rectangle2D.Double(-1, -halfWidth, 2, 2 * halfWidth));
        a.add(new Area(new Rectangle2D.Double(-halfWidth, -1, 2 * halfWidth, 2)));
        return a;
    }

    private static Shape ring(double inner) {
        Area a = new Area(new Ellipse2D.Double(-1, -1, 2, 2));
        a.subtract(new Area(new Ellipse2D.Double(-inner, -inner, 2 * inner, 2 * inner)));
        return a;
    }

    private static Shape arrow() {
        Path2D.Double p = new Path2D.Double();
        p.moveTo(1, 0);
        p.lineTo(0.1, -0.8);
        p.lineTo(0.1, -0.3);
        p.lineTo(-1, -0.3);
        p.lineTo(-1, 0.3);
        p.lineTo(0.1, 0.3);
        p.lineTo(0.1, 0.8);
        p.closePath();
        return p;
    }

    private static Shape crescent() {
        Area a = new Area(new Ellipse2D.Double(-1, -1, 2, 2));
        a.subtract(new Area(new Ellipse2D.Double(-0.45, -1.05, 2, 2)));
        return a.isEmpty() ? new Arc2D.Double(-1, -1, 2, 2, 90, 180, Arc2D.CHORD) : a;
    }
}
