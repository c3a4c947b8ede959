using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CloudArchive.Dicom;

/// <summary>
/// How the DICOM JSON writer puts numbers: IS and DS strings as JSON numbers where they are valid JSON numbers, the
/// binary numeric VRs as numbers, non-finite floats and (optionally) 64-bit integers beyond JSON's safe range as
/// strings (PS3.18 F.2.3).
/// </summary>
internal static partial class DicomJsonNumbers
{
    internal static void WriteNumericString(Utf8JsonWriter writer, string s, bool integer)
    {
        if (s.Length == 0)
        {
            writer.WriteNullValue();
        }
        else if (integer && long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            writer.WriteNumberValue(l);
        }
        else if (!integer && JsonNumber().IsMatch(s))
        {
            // The stored text is already a JSON number: written as is, so "1.50" keeps its digits.
            writer.WriteRawValue(s, skipInputValidation: true);
        }
        else if (!integer && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
        {
            writer.WriteNumberValue(d);
        }
        else
        {
            writer.WriteStringValue(s);
        }
    }

    internal static void WriteBinaryNumbers(Utf8JsonWriter writer, DicomValueElement element, bool largeAsStrings)
    {
        var data = element.GetBytes().Span;
        var vr = element.ValueVR;
        var size = vr.UnitSize;
        for (var i = 0; i + size <= data.Length; i += size)
        {
            var v = data.Slice(i, size);
            if (vr == DicomVR.US)
            {
                writer.WriteNumberValue(BinaryPrimitives.ReadUInt16LittleEndian(v));
            }
            else if (vr == DicomVR.SS)
            {
                writer.WriteNumberValue(BinaryPrimitives.ReadInt16LittleEndian(v));
            }
            else if (vr == DicomVR.UL)
            {
                writer.WriteNumberValue(BinaryPrimitives.ReadUInt32LittleEndian(v));
            }
            else if (vr == DicomVR.SL)
            {
                writer.WriteNumberValue(BinaryPrimitives.ReadInt32LittleEndian(v));
            }
            else if (vr == DicomVR.FL)
            {
                WriteFloat(writer, BinaryPrimitives.ReadSingleLittleEndian(v));
            }
            else if (vr == DicomVR.FD)
            {
                WriteFloat(writer, BinaryPrimitives.ReadDoubleLittleEndian(v));
            }
            else if (vr == DicomVR.SV)
            {
                WriteLarge(writer, BinaryPrimitives.ReadInt64LittleEndian(v), largeAsStrings);
            }
            else if (vr == DicomVR.UV)
            {
                WriteLarge(writer, BinaryPrimitives.ReadUInt64LittleEndian(v), largeAsStrings);
            }
        }
    }

    private static void WriteFloat(Utf8JsonWriter writer, double value)
    {
        // JSON has no NaN or infinity: those are written as strings so the value is not lost.
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static void WriteFloat(Utf8JsonWriter writer, float value)
    {
        if (float.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
        }
    }

    // PS3.18 F.2.3.1: SV and UV values beyond ±2^53 are strings, since JSON readers hold numbers as doubles.
    private static void WriteLarge(Utf8JsonWriter writer, long value, bool largeAsStrings)
    {
        if (!largeAsStrings || Math.Abs((double)value) <= 9007199254740991d)
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static void WriteLarge(Utf8JsonWriter writer, ulong value, bool largeAsStrings)
    {
        if (!largeAsStrings || value <= 9007199254740991UL)
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
        }
    }

    [GeneratedRegex(@"\A-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex JsonNumber();
}
