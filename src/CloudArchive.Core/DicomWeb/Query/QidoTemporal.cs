using CloudArchive.Dicom;

namespace CloudArchive.Core.DicomWeb.Query;

/// <summary>
/// DA, TM and DT values brought to one fixed-width form so that ranges compare as strings: a partial value is the
/// earliest instant it names as a lower bound and the latest as an upper bound (TM <c>07</c> is 07:00:00.000000 to
/// 07:59:59.999999). Time zone offsets of DT are not applied (documented: DT ranges compare local values).
/// </summary>
public static class QidoTemporal
{
    /// <summary>
    /// The normalized form of <paramref name="value"/> for <paramref name="vr"/>, or null when it is not a valid
    /// DA (<c>YYYYMMDD</c>), TM (<c>HH[MM[SS[.F{1,6}]]]</c>) or DT (<c>YYYY[MM[DD[HH[MM[SS[.F{1,6}]]]]]]</c>) value.
    /// </summary>
    public static string? Normalize(DicomVR vr, string value, bool upper)
    {
        ArgumentNullException.ThrowIfNull(vr);
        ArgumentNullException.ThrowIfNull(value);
        if (vr == DicomVR.DA)
        {
            return value.Length == 8 && value.All(char.IsAsciiDigit) && InRange(value, 4, 1, 12) && InRange(value, 6, 1, 31) ? value : null;
        }

        if (vr == DicomVR.TM)
        {
            var time = value.Replace(":", string.Empty, StringComparison.Ordinal);
            return InRange(time, 0, 0, 23) && InRange(time, 2, 0, 59) && InRange(time, 4, 0, 60) ? Pad(time, [2, 4, 6], upper) : null;
        }

        if (vr == DicomVR.DT)
        {
            var local = value;
            var zone = local.IndexOfAny(['+', '-'], 4);
            if (zone > 0)
            {
                local = local[..zone];
            }

            return Pad(local, [4, 6, 8, 10, 12, 14], upper);
        }

        return null;
    }

    // A two-digit component at index, when present, lies in [min, max].
    private static bool InRange(string value, int index, int min, int max)
    {
        if (value.Length < index + 2 || !char.IsAsciiDigit(value[index]) || !char.IsAsciiDigit(value[index + 1]))
        {
            return true;
        }

        var n = ((value[index] - '0') * 10) + (value[index + 1] - '0');
        return n >= min && n <= max;
    }

    private static string? Pad(string value, int[] stops, bool upper)
    {
        var dot = value.IndexOf('.', StringComparison.Ordinal);
        var whole = dot < 0 ? value : value[..dot];
        var fraction = dot < 0 ? string.Empty : value[(dot + 1)..];
        if (!stops.Contains(whole.Length) || !whole.All(char.IsAsciiDigit) || fraction.Length > 6 || !fraction.All(char.IsAsciiDigit)
            || (dot >= 0 && (whole.Length != stops[^1] || fraction.Length == 0)))
        {
            return null;
        }

        var full = stops[^1];

        // Lower bounds start at the first instant (month/day 01 for DT), upper bounds end at the last.
        var padded = whole;
        for (var i = whole.Length; i < full; i += 2)
        {
            var isDateComponent = stops.Length == 6 && i < 8;
            padded += upper ? (isDateComponent ? (i == 4 ? "12" : "31") : "99") : (isDateComponent ? "01" : "00");
        }

        return padded + "." + fraction.PadRight(6, upper ? '9' : '0');
    }
}
