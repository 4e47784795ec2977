package dev.groundwork.core.look;

/**
 * A 5×7 bitmap font for printable ASCII, drawn pixel by pixel, so that captions render the same on
 * every machine, including headless servers with no fonts installed (where {@code
 * Graphics2D.drawString} fails with "No physical fonts found").
 *
 * <p>Each glyph is 7 rows of 5 pixels; a character advances {@value #ADVANCE} pixels (one blank
 * column) and a line {@value #LINE} pixels, both times the text scale. A character outside
 * {@code ' '..'~'} is drawn as a hollow box. The glyph table below is this project's own.
 */
final class BitmapFont {

  /** Glyph width in pixels at scale 1. */
  static final int WIDTH = 5;
  /** Glyph height in pixels at scale 1. */
  static final int HEIGHT = 7;
  /** Horizontal advance of one character at scale 1. */
  static final int ADVANCE = 6;
  /** Vertical advance of one line at scale 1. */
  static final int LINE = 9;

  /** Code point (hex), then 7 rows of 5 pixels, top to bottom; '#' is ink. */
  private static final String TABLE = """
      20 ..... ..... ..... ..... ..... ..... .....
      21 ..#.. ..#.. ..#.. ..#.. ..#.. ..... ..#..
      22 .#.#. .#.#. ..... ..... ..... ..... .....
      23 .#.#. .#.#. ##### .#.#. ##### .#.#. .#.#.
      24 ..#.. .#### #.#.. .###. ..#.# ####. ..#..
      25 ##... ##..# ...#. ..#.. .#... #..## ...##
      26 .##.. #..#. #.#.. .#... #.#.# #..#. .##.#
      27 ..#.. ..#.. ..... ..... ..... ..... .....
      28 ...#. ..#.. .#... .#... .#... ..#.. ...#.
      29 .#... ..#.. ...#. ...#. ...#. ..#.. .#...
      2A ..... ..#.. #.#.# .###. #.#.# ..#.. .....
      2B ..... ..#.. ..#.. ##### ..#.. ..#.. .....
      2C ..... ..... ..... ..... .##.. ..#.. .#...
      2D ..... ..... ..... ##### ..... ..... .....
      2E ..... ..... ..... ..... ..... .##.. .##..
      2F ..... ....# ...#. ..#.. .#... #.... .....
      30 .###. #...# #..## #.#.# ##..# #...# .###.
      31 ..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.
      32 .###. #...# ....# ...#. ..#.. .#... #####
      33 ##### ...#. ..#.. ...#. ....# #...# .###.
      34 ...#. ..##. .#.#. #..#. ##### ...#. ...#.
      35 ##### #.... ####. ....# ....# #...# .###.
      36 ..##. .#... #.... ####. #...# #...# .###.
      37 ##### ....# ...#. ..#.. .#... .#... .#...
      38 .###. #...# #...# .###. #...# #...# .###.
      39 .###. #...# #...# .#### ....# ...#. .##..
      3A ..... .##.. .##.. ..... .##.. .##.. .....
      3B ..... .##.. .##.. ..... .##.. ..#.. .#...
      3C ...#. ..#.. .#... #.... .#... ..#.. ...#.
      3D ..... ..... ##### ..... ##### ..... .....
      3E .#... ..#.. ...#. ....# ...#. ..#.. .#...
      3F .###. #...# ....# ...#. ..#.. ..... ..#..
      40 .###. #...# ....# .##.# #.#.# #.#.# .###.
      41 .###. #...# #...# ##### #...# #...# #...#
      42 ####. #...# #...# ####. #...# #...# ####.
      43 .###. #...# #.... #.... #.... #...# .###.
      44 ###.. #..#. #...# #...# #...# #..#. ###..
      45 ##### #.... #.... ####. #.... #.... #####
      46 ##### #.... #.... ####. #.... #.... #....
      47 .###. #...# #.... #.### #...# #...# .####
      48 #...# #...# #...# ##### #...# #...# #...#
      49 .###. ..#.. ..#.. ..#.. ..#.. ..#.. .###.
      4A ..### ...#. ...#. ...#. ...#. #..#. .##..
      4B #...# #..#. #.#.. ##... #.#.. #..#. #...#
      4C #.... #.... #.... #.... #.... #.... #####
      4D #...# ##.## #.#.# #.#.# #...# #...# #...#
      4E #...# #...# ##..# #.#.# #..## #...# #...#
      4F .###. #...# #...# #...# #...# #...# .###.
      50 ####. #...# #...# ####. #.... #.... #....
      51 .###. #...# #...# #...# #.#.# #..#. .##.#
      52 ####. #...# #...# ####. #.#.. #..#. #...#
      53 .#### #.... #.... .###. ....# ....# ####.
      54 ##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#..
      55 #...# #...# #...# #...# #...# #...# .###.
      56 #...# #...# #...# #...# #...# .#.#. ..#..
      57 #...# #...# #...# #.#.# #.#.# #.#.# .#.#.
      58 #...# #...# .#.#. ..#.. .#.#. #...# #...#
      59 #...# #...# .#.#. ..#.. ..#.. ..#.. ..#..
      5A ##### ....# ...#. ..#.. .#... #.... #####
      5B .###. .#... .#... .#... .#... .#... .###.
      5C ..... #.... .#... ..#.. ...#. ....# .....
      5D .###. ...#. ...#. ...#. ...#. ...#. .###.
      5E ..#.. .#.#. #...# ..... ..... ..... .....
      5F ..... ..... ..... ..... ..... ..... #####
      60 .#... ..#.. ..... ..... ..... ..... .....
      61 ..... ..... .###. ....# .#### #...# .####
      62 #.... #.... #.##. ##..# #...# #...# ####.
      63 ..... ..... .###. #.... #.... #...# .###.
      64 ....# ....# .##.# #..## #...# #...# .####
      65 ..... ..... .###. #...# ##### #.... .###.
      66 ..##. .#..# .#... ###.. .#... .#... .#...
      67 ..... .#### #...# #...# .#### ....# .###.
      68 #.... #.... #.##. ##..# #...# #...# #...#
      69 ..#.. ..... .##.. ..#.. ..#.. ..#.. .###.
      6A ...#. ..... ..##. ...#. ...#. #..#. .##..
      6B #.... #.... #..#. #.#.. ##... #.#.. #..#.
      6C .##.. ..#.. ..#.. ..#.. ..#.. ..#.. .###.
      6D ..... ..... ##.#. #.#.# #.#.# #...# #...#
      6E ..... ..... #.##. ##..# #...# #...# #...#
      6F ..... ..... .###. #...# #...# #...# .###.
      70 ..... ..... ####. #...# ####. #.... #....
      71 ..... ..... .##.# #..## .#### ....# ....#
      72 ..... ..... #.##. ##..# #.... #.... #....
      73 ..... ..... .###. #.... .###. ....# ####.
      74 .#... .#... ###.. .#... .#... .#..# ..##.
      75 ..... ..... #...# #...# #...# #..## .##.#
      76 ..... ..... #...# #...# #...# .#.#. ..#..
      77 ..... ..... #...# #...# #.#.# #.#.# .#.#.
      78 ..... ..... #...# .#.#. ..#.. .#.#. #...#
      79 ..... ..... #...# #...# .#### ....# .###.
      7A ..... ..... ##### ...#. ..#.. .#... #####
      7B ...#. ..#.. ..#.. .#... ..#.. ..#.. ...#.
      7C ..#.. ..#.. ..#.. ..#.. ..#.. ..#.. ..#..
      7D .#... ..#.. ..#.. ...#. ..#.. ..#.. .#...
      7E ..... ..... .#... #.#.# ...#. ..... .....
      7F ##### #...# #...# #...# #...# #...# #####
      """;

  /** Rows of each glyph as 5-bit masks (bit 4 = leftmost), index {@code c - 0x20}; 0x7F = box. */
  private static final class Glyphs {
    static final int[][] ROWS = parse();

    private static int[][] parse() {
      int[][] rows = new int[96][];
      for (String line : TABLE.strip().split("\n")) {
        String[] parts = line.strip().split(" ");
        int code = Integer.parseInt(parts[0], 16);
        int[] g = new int[HEIGHT];
        for (int r = 0; r < HEIGHT; r++) {
          String bits = parts[r + 1];
          for (int c = 0; c < WIDTH; c++) {
            if (bits.charAt(c) == '#') {
              g[r] |= 1 << (WIDTH - 1 - c);
            }
          }
        }
        rows[code - 0x20] = g;
      }
      return rows;
    }
  }

  private BitmapFont() {}

  /** Whether pixel {@code (col, row)} of the glyph for {@code ch} is ink (scale 1). */
  static boolean ink(char ch, int col, int row) {
    int[] g = Glyphs.ROWS[ch >= 0x20 && ch <= 0x7E ? ch - 0x20 : 0x7F - 0x20];
    return (g[row] >> (WIDTH - 1 - col) & 1) != 0;
  }

  /** The width in pixels of {@code text} at {@code scale} (no trailing blank column). */
  static int width(String text, int scale) {
    return text.isEmpty() ? 0 : (text.length() * ADVANCE - 1) * scale;
  }

  /** How many characters fit in {@code pixels} at {@code scale}. */
  static int fit(int pixels, int scale) {
    return Math.max(0, (pixels / scale + 1) / ADVANCE);
  }

  /**
   * {@code text} cut to at most {@code max} characters, ending in {@code ~} when it was cut.
   */
  static String clip(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    return max <= 0 ? "" : text.substring(0, max - 1) + "~";
  }

  /** Draws {@code text} with its top-left corner at {@code (x, y)}, clipped to the raster. */
  static void draw(Raster r, String text, int x, int y, int scale, int rgb) {
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      int gx = x + i * ADVANCE * scale;
      for (int row = 0; row < HEIGHT; row++) {
        for (int col = 0; col < WIDTH; col++) {
          if (ink(ch, col, row)) {
            r.fill(gx + col * scale, y + row * scale, scale, scale, rgb);
          }
        }
      }
    }
  }
}
