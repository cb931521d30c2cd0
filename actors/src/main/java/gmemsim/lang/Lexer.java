package gmemsim.lang;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits kernel C into tokens. Comments go; a preprocessor line becomes HASH ... EOL so the
 * parser can read {@code #include} and {@code #define}; a backslash at the end of a line joins it
 * to the next. Numbers take the kernel's suffixes (UL, ULL) and hex.
 */
public final class Lexer {
  private static final String[] PUNCTS = {
    "<<=", ">>=", "...", "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "+=", "-=", "*=", "/=",
    "%=", "&=", "|=", "^=", "(", ")", "{", "}", "[", "]", ";", ",", ".", "+", "-", "*", "/", "%", "<", ">", "=",
    "!", "~", "&", "|", "^", "?", ":"
  };

  private final SourceFile file;
  private final String s;
  private int i;
  private int line = 1;
  private int lineStart;
  private boolean inDirective;
  private boolean atLineStart = true;

  private Lexer(SourceFile file) {
    this.file = file;
    this.s = file.text();
  }

  public static List<Token> tokens(SourceFile file) {
    return new Lexer(file).all();
  }

  private Pos pos() {
    return new Pos(file, line, i - lineStart + 1);
  }

  private List<Token> all() {
    List<Token> out = new ArrayList<>();
    while (true) {
      skipSpaceAndComments(out);
      if (i >= s.length()) {
        if (inDirective) out.add(new Token(Token.Kind.EOL, "", 0, pos()));
        out.add(new Token(Token.Kind.EOF, "", 0, pos()));
        return out;
      }
      Pos p = pos();
      char c = s.charAt(i);
      if (c == '#' && atLineStart) {
        i++;
        inDirective = true;
        atLineStart = false;
        out.add(new Token(Token.Kind.HASH, "#", 0, p));
        continue;
      }
      atLineStart = false;
      if (Character.isLetter(c) || c == '_') {
        int b = i;
        while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) i++;
        out.add(new Token(Token.Kind.IDENT, s.substring(b, i), 0, p));
      } else if (Character.isDigit(c)) {
        out.add(number(p));
      } else if (c == '"') {
        out.add(string(p));
      } else if (c == '\'') {
        out.add(character(p));
      } else {
        String punct = null;
        for (String q : PUNCTS) {
          if (s.startsWith(q, i)) {
            punct = q;
            break;
          }
        }
        if (punct == null) throw new KcException(p, "unexpected character '" + c + "'");
        i += punct.length();
        out.add(new Token(Token.Kind.PUNCT, punct, 0, p));
      }
    }
  }

  private void newline(List<Token> out) {
    if (inDirective) {
      out.add(new Token(Token.Kind.EOL, "", 0, pos()));
      inDirective = false;
    }
    i++;
    line++;
    lineStart = i;
    atLineStart = true;
  }

  private void skipSpaceAndComments(List<Token> out) {
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '\n') {
        newline(out);
      } else if (c == '\\' && i + 1 < s.length() && (s.charAt(i + 1) == '\n' || s.startsWith("\r\n", i + 1))) {
        // A continued line: the directive goes on.
        i += s.charAt(i + 1) == '\r' ? 2 : 1;
        i++;
        line++;
        lineStart = i;
      } else if (Character.isWhitespace(c)) {
        i++;
      } else if (s.startsWith("//", i)) {
        while (i < s.length() && s.charAt(i) != '\n') i++;
      } else if (s.startsWith("/*", i)) {
        Pos p = pos();
        int end = s.indexOf("*/", i + 2);
        if (end < 0) throw new KcException(p, "a comment that never ends: '*/' is missing");
        for (int k = i; k < end; k++) {
          if (s.charAt(k) == '\n') {
            line++;
            lineStart = k + 1;
          }
        }
        i = end + 2;
      } else {
        return;
      }
    }
  }

  private Token number(Pos p) {
    int b = i;
    long v;
    if (s.startsWith("0x", i) || s.startsWith("0X", i)) {
      i += 2;
      int d = i;
      while (i < s.length() && Character.digit(s.charAt(i), 16) >= 0) i++;
      if (i == d) throw new KcException(p, "a hex number without digits");
      v = parse(p, s.substring(d, i), 16);
    } else {
      while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
      String digits = s.substring(b, i);
      v = parse(p, digits, digits.length() > 1 && digits.startsWith("0") ? 8 : 10);
    }
    while (i < s.length() && "uUlL".indexOf(s.charAt(i)) >= 0) i++;
    if (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
      throw new KcException(p, "a malformed number '" + s.substring(b, i + 1) + "'");
    }
    return new Token(Token.Kind.NUMBER, s.substring(b, i), v, p);
  }

  private static long parse(Pos p, String digits, int radix) {
    try {
      return Long.parseUnsignedLong(digits, radix);
    } catch (NumberFormatException e) {
      throw new KcException(p, "the number " + digits + " does not fit in 64 bits");
    }
  }

  private Token string(Pos p) {
    StringBuilder sb = new StringBuilder();
    i++;
    while (true) {
      if (i >= s.length() || s.charAt(i) == '\n') throw new KcException(p, "a string that never ends: '\"' is missing");
      char c = s.charAt(i++);
      if (c == '"') break;
      if (c == '\\' && i < s.length()) {
        char e = s.charAt(i++);
        sb.append(e == 'n' ? '\n' : e == 't' ? '\t' : e);
      } else {
        sb.append(c);
      }
    }
    return new Token(Token.Kind.STRING, sb.toString(), 0, p);
  }

  private Token character(Pos p) {
    int b = i;
    i++;
    if (i >= s.length()) throw new KcException(p, "a character constant that never ends");
    char c = s.charAt(i++);
    if (c == '\\' && i < s.length()) {
      char e = s.charAt(i++);
      c = e == 'n' ? '\n' : e == 't' ? '\t' : e == '0' ? '\0' : e;
    }
    if (i >= s.length() || s.charAt(i) != '\'') throw new KcException(p, "a character constant that never ends");
    i++;
    return new Token(Token.Kind.NUMBER, s.substring(b, i), c, p);
  }
}
