using System.Text;

namespace CloudArchive.Dicom;

/// <summary>
/// Decodes and encodes text values under a Specific Character Set (0008,0005), PS3.5 section 6.1 and PS3.3
/// C.12.1.1.2: single-byte sets (ISO_IR 100/101/109/110/126/127/138/144/148/166/203, ISO_IR 13), UTF-8
/// (ISO_IR 192), GB18030, GBK, and ISO 2022 code extensions with escape sequences (IR 6/100/.../13/87/159/149/58),
/// whose state returns to the initial designation at CR, LF, FF, TAB, backslash and, for PN, '^' and '='.
/// Unknown defined terms decode as ISO 8859-1 so that no byte is lost.
/// </summary>
public sealed class DicomCharacterSet
{
    private const string CannotEncode = "the declared Specific Character Set cannot encode the text";

    private static readonly Encoding Latin1 = Encoding.Latin1;
    private static readonly Encoding ShiftJis;
    private static readonly Encoding EucJp;
    private static readonly Encoding EucKr;
    private static readonly Encoding Gb2312;

    private readonly Segment _initialG0;
    private readonly Segment? _initialG1;
    private readonly Encoding? _whole;

    static DicomCharacterSet()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        ShiftJis = Encoding.GetEncoding(932);
        EucJp = Encoding.GetEncoding(51932);
        EucKr = Encoding.GetEncoding(949);
        Gb2312 = Encoding.GetEncoding(936);
        Default = new DicomCharacterSet(Array.Empty<string>());
    }

    private DicomCharacterSet(IReadOnlyList<string> terms)
    {
        Terms = terms;
        var first = terms.Count > 0 ? terms[0].Trim() : string.Empty;
        IsIso2022 = terms.Any(t => t.Trim().StartsWith("ISO 2022", StringComparison.Ordinal));
        if (!IsIso2022)
        {
            _whole = SingleTermEncoding(first);
            _initialG0 = Segment.Ascii;
            return;
        }

        _initialG0 = first == "ISO 2022 IR 13" ? Segment.Romaji : Segment.Ascii;
        _initialG1 = first switch
        {
            "ISO 2022 IR 13" => Segment.Katakana,
            "ISO 2022 IR 6" or "" => null,
            _ => G1ForTerm(first),
        };
    }

    private enum Kind
    {
        SingleByte,
        Jis0208,
        Jis0212,
        KsX1001,
        Gb2312,
    }

    /// <summary>The default repertoire (no Specific Character Set); bytes above 0x7F decode as ISO 8859-1.</summary>
    public static DicomCharacterSet Default { get; }

    /// <summary>The defined terms as declared.</summary>
    public IReadOnlyList<string> Terms { get; }

    /// <summary>True when the set uses ISO 2022 code extensions (escape sequences).</summary>
    public bool IsIso2022 { get; }

    /// <summary>Builds the character set from the values of Specific Character Set (0008,0005).</summary>
    public static DicomCharacterSet FromSpecificCharacterSet(IReadOnlyList<string>? values)
    {
        if (values is null || values.Count == 0 || (values.Count == 1 && string.IsNullOrWhiteSpace(values[0])))
        {
            return Default;
        }

        return new DicomCharacterSet(values.Select(v => v.Trim()).ToArray());
    }

    /// <summary>Decodes a text value. <paramref name="isPersonName"/> makes '^' and '=' reset ISO 2022 state too.</summary>
    public string Decode(ReadOnlySpan<byte> data, bool isPersonName = false)
    {
        if (_whole is not null)
        {
            return _whole.GetString(data);
        }

        var sb = new StringBuilder(data.Length);
        var g0 = _initialG0;
        var g1 = _initialG1;
        var i = 0;
        while (i < data.Length)
        {
            var b = data[i];
            if (b == 0x1B)
            {
                var consumed = ParseEscape(data[i..], ref g0, ref g1);
                if (consumed == 0)
                {
                    sb.Append((char)b);
                    i++;
                }
                else
                {
                    i += consumed;
                }

                continue;
            }

            if (b < 0x80)
            {
                if (g0.Kind == Kind.SingleByte)
                {
                    if (b is 0x0D or 0x0A or 0x0C or 0x09 or (byte)'\\' || (isPersonName && b is (byte)'^' or (byte)'='))
                    {
                        g0 = _initialG0;
                        g1 = _initialG1;
                        sb.Append((char)b);
                        i++;
                        continue;
                    }

                    var start = i;
                    while (i < data.Length && data[i] < 0x80 && data[i] != 0x1B && !IsDelimiter(data[i], isPersonName))
                    {
                        i++;
                    }

                    sb.Append(g0.Encoding.GetString(data[start..i]));
                }
                else
                {
                    var start = i;
                    while (i < data.Length && data[i] < 0x80 && data[i] != 0x1B)
                    {
                        i++;
                    }

                    sb.Append(DecodeMultiByte(g0, data[start..i], highBitNeeded: true));
                }

                continue;
            }

            // High half: G1 (or, without a G1 designation, ISO 8859-1 so that nothing is lost).
            var s = i;
            while (i < data.Length && data[i] >= 0x80)
            {
                i++;
            }

            var run = data[s..i];
            if (g1 is null)
            {
                sb.Append(Latin1.GetString(run));
            }
            else if (g1.Value.Kind == Kind.SingleByte)
            {
                sb.Append(g1.Value.Encoding.GetString(run));
            }
            else
            {
                sb.Append(DecodeMultiByte(g1.Value, run, highBitNeeded: false));
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// Encodes text. ASCII text is always encoded as ASCII; other text with the declared encoding (for ISO 2022 sets
    /// with IR 87 declared, Japanese via ISO-2022-JP escapes; otherwise the first single-byte extension).
    /// </summary>
    /// <exception cref="DicomValueException">The text contains characters the declared character set cannot encode.</exception>
    public byte[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.All(c => c < 0x80))
        {
            return Encoding.ASCII.GetBytes(text);
        }

        Encoding enc;
        if (_whole is not null)
        {
            enc = Terms.Count == 0 ? Latin1 : _whole;
        }
        else if (Terms.Any(t => t.Trim() == "ISO 2022 IR 87"))
        {
            enc = Encoding.GetEncoding(50220);
        }
        else if (_initialG1 is { Kind: Kind.SingleByte } g1)
        {
            enc = g1.Encoding;
        }
        else
        {
            throw new DicomValueException(CannotEncode);
        }

        try
        {
            var strict = (Encoding)enc.Clone();
            strict.EncoderFallback = EncoderFallback.ExceptionFallback;
            return strict.GetBytes(text);
        }
        catch (EncoderFallbackException)
        {
            // Not chained: the fallback exception's message quotes the character, which may be patient data.
            throw new DicomValueException(CannotEncode);
        }
    }

    /// <inheritdoc />
    public override string ToString() => Terms.Count == 0 ? "(default repertoire)" : string.Join('\\', Terms);

    private static bool IsDelimiter(byte b, bool pn) => b is 0x0D or 0x0A or 0x0C or 0x09 or (byte)'\\' || (pn && b is (byte)'^' or (byte)'=');

    private static Encoding SingleTermEncoding(string term) => term switch
    {
        "" or "ISO_IR 6" => Latin1,
        "ISO_IR 192" => Encoding.UTF8,
        "GB18030" => Encoding.GetEncoding(54936),
        "GBK" => Encoding.GetEncoding(936),
        "ISO_IR 13" => ShiftJis,
        "ISO_IR 166" => Encoding.GetEncoding(874),
        _ => G1ForTerm(term.Replace("ISO 2022 ", "ISO_", StringComparison.Ordinal)) is { } seg ? seg.Encoding : Latin1,
    };

    private static Segment? G1ForTerm(string term)
    {
        var number = term.Replace("ISO 2022 IR ", string.Empty, StringComparison.Ordinal).Replace("ISO_IR ", string.Empty, StringComparison.Ordinal).Replace("ISO_", string.Empty, StringComparison.Ordinal).Trim();
        return number switch
        {
            "100" => new Segment(Kind.SingleByte, Latin1),
            "101" => new Segment(Kind.SingleByte, Encoding.GetEncoding(28592)),
            "109" => new Segment(Kind.SingleByte, Encoding.GetEncoding(28593)),
            "110" => new Segment(Kind.SingleByte, Encoding.GetEncoding(28594)),
            "144" => new Segment(Kind.SingleByte, Encoding.GetEncoding(28595)),
            "127" => new Segment(Kind.SingleByte, Encoding.GetEncoding(28596)),
            "126" => new Segment(Kind.SingleByte, Encoding.GetEncoding(28597)),
            "138" => new Segment(Kind.SingleByte, Encoding.GetEncoding(28598)),
            "148" => new Segment(Kind.SingleByte, Encoding.GetEncoding(28599)),
            "203" => new Segment(Kind.SingleByte, Encoding.GetEncoding(28605)),
            "166" => new Segment(Kind.SingleByte, Encoding.GetEncoding(874)),
            "13" => Segment.Katakana,
            "149" => new Segment(Kind.KsX1001, EucKr),
            "58" => new Segment(Kind.Gb2312, Gb2312),
            _ => null,
        };
    }

    private static int ParseEscape(ReadOnlySpan<byte> s, ref Segment g0, ref Segment? g1)
    {
        static bool Is(ReadOnlySpan<byte> s, string seq)
        {
            if (s.Length < seq.Length + 1)
            {
                return false;
            }

            for (var k = 0; k < seq.Length; k++)
            {
                if (s[k + 1] != seq[k])
                {
                    return false;
                }
            }

            return true;
        }

        if (Is(s, "(B"))
        {
            g0 = Segment.Ascii;
            return 3;
        }

        if (Is(s, "(J"))
        {
            g0 = Segment.Romaji;
            return 3;
        }

        if (Is(s, ")I"))
        {
            g1 = Segment.Katakana;
            return 3;
        }

        if (Is(s, "$B") || Is(s, "$@"))
        {
            g0 = new Segment(Kind.Jis0208, EucJp);
            return 3;
        }

        if (Is(s, "$(D"))
        {
            g0 = new Segment(Kind.Jis0212, EucJp);
            return 4;
        }

        if (Is(s, "$)C"))
        {
            g1 = new Segment(Kind.KsX1001, EucKr);
            return 4;
        }

        if (Is(s, "$)A"))
        {
            g1 = new Segment(Kind.Gb2312, Gb2312);
            return 4;
        }

        if (s.Length >= 3 && s[1] == (byte)'-')
        {
            var term = (char)s[2] switch
            {
                'A' => "100",
                'B' => "101",
                'C' => "109",
                'D' => "110",
                'L' => "144",
                'G' => "127",
                'F' => "126",
                'H' => "138",
                'M' => "148",
                'T' => "166",
                'b' => "203",
                _ => null,
            };
            if (term is not null)
            {
                g1 = G1ForTerm(term);
                return 3;
            }
        }

        return 0;
    }

    private static string DecodeMultiByte(Segment seg, ReadOnlySpan<byte> run, bool highBitNeeded)
    {
        var buffer = new List<byte>(run.Length + (run.Length / 2));
        for (var k = 0; k < run.Length; k++)
        {
            if (seg.Kind == Kind.Jis0212 && (k & 1) == 0)
            {
                buffer.Add(0x8F);
            }

            buffer.Add(highBitNeeded ? (byte)(run[k] | 0x80) : run[k]);
        }

        return seg.Encoding.GetString(buffer.ToArray());
    }

    private readonly record struct Segment(Kind Kind, Encoding Encoding)
    {
        public static Segment Ascii => new(Kind.SingleByte, Latin1);

        public static Segment Romaji => new(Kind.SingleByte, ShiftJis);

        public static Segment Katakana => new(Kind.SingleByte, ShiftJis);
    }
}
