using CloudArchive.Dicom;

namespace CloudArchive.Deidentification;

/// <summary>The text sweep shared by K, C and the safe private attributes: identifier tokens of the instance (and, for
/// full cleaning, other sensitive patterns) are masked in a text value.</summary>
internal static class TextMasking
{
    /// <summary>Masks identifier tokens (and, when <paramref name="full"/>, other sensitive patterns) in a text value;
    /// returns true when the value changed.</summary>
    public static bool Apply(DicomDataset ds, DicomValueElement v, DicomVR vr, bool full, InstanceContext ctx)
    {
        string[] values;
        try
        {
            values = EffectiveVR.GetStrings(v, ds.CharacterSet);
        }
        catch (DicomValueException)
        {
            ds.Set(new DicomValueElement(v.Tag, vr, ReadOnlyMemory<byte>.Empty));
            return true;
        }

        var output = Mask(values, vr, full, ctx.Tokens, out var changed);
        if (changed)
        {
            ds.Set(output.All(s => s.Length == 0)
                ? new DicomValueElement(v.Tag, vr, ReadOnlyMemory<byte>.Empty)
                : DicomValueElement.FromStrings(v.Tag, vr, output, ds.CharacterSet));
        }
        else if (vr != v.VR)
        {
            ds.Set(new DicomValueElement(v.Tag, vr, v.GetBytes()));
        }

        return changed;
    }

    private static string[] Mask(string[] values, DicomVR vr, bool full, IdentifierTokens tokens, out bool changed)
    {
        changed = false;
        var output = new string[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var cleaned = full ? TextCleaner.Clean(values[i], tokens) : TextCleaner.MaskTokens(values[i], tokens);
            if (cleaned != values[i])
            {
                changed = true;

                // Code strings and AE titles have a restricted repertoire: a masked value is dropped, not starred.
                if (vr == DicomVR.CS || vr == DicomVR.AE || vr == DicomVR.UR)
                {
                    cleaned = string.Empty;
                }
            }

            output[i] = cleaned;
        }

        return output;
    }
}
