using System.Text;

namespace CloudArchive.Dicom.Tests.Support;

/// <summary>A canonical text form of a dataset (tag path, VR, value) used to compare datasets in tests.</summary>
public static class DatasetDump
{
    public static string Format(DicomDataset ds, bool includeVR = true, bool ignoreGroupLengths = false)
    {
        var sb = new StringBuilder();
        Walk(ds, string.Empty, sb, includeVR, ignoreGroupLengths);
        return sb.ToString();
    }

    private static void Walk(DicomDataset ds, string prefix, StringBuilder sb, bool includeVR, bool ignoreGroupLengths)
    {
        foreach (var e in ds)
        {
            if (ignoreGroupLengths && e.Tag.IsGroupLength)
            {
                continue;
            }

            var path = prefix + e.Tag.Value.ToString("X8", System.Globalization.CultureInfo.InvariantCulture);
            var vr = includeVR ? e.VR.Code : "--";
            switch (e)
            {
                case DicomSequence seq:
                    sb.Append(path).Append(" SQ").Append(" items=").Append(seq.Items.Count).Append('\n');
                    for (var i = 0; i < seq.Items.Count; i++)
                    {
                        Walk(seq.Items[i], $"{path}[{i}].", sb, includeVR, ignoreGroupLengths);
                    }

                    break;
                case DicomFragmentSequence frag:
                    sb.Append(path).Append(' ').Append(vr).Append(" fragments=").Append(frag.Fragments.Count).Append(" bot=").Append(Hash(frag.OffsetTable.OpenRead()));
                    foreach (var f in frag.Fragments)
                    {
                        sb.Append(' ').Append(f.Length + (f.Length & 1)).Append(':').Append(Hash(f.OpenRead(), (f.Length & 1) == 1 ? (byte)0 : null));
                    }

                    sb.Append('\n');
                    break;
                case DicomValueElement v:
                    // Odd values are padded by the writer (PS3.5 7.1.1), so the padded form is what must survive a round trip.
                    sb.Append(path).Append(' ').Append(vr).Append(' ').Append(v.Length + (v.Length & 1)).Append(' ').Append(Hash(v.OpenRead(), (v.Length & 1) == 1 ? v.VR.PaddingByte : null)).Append('\n');
                    break;
            }
        }
    }

    private static string Hash(Stream s, byte? pad = null)
    {
        using (s)
        using (var h = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256))
        {
            var buffer = new byte[81920];
            int n;
            while ((n = s.Read(buffer, 0, buffer.Length)) > 0)
            {
                h.AppendData(buffer, 0, n);
            }

            if (pad is byte p)
            {
                h.AppendData(new[] { p });
            }

            return Convert.ToHexString(h.GetHashAndReset())[..16];
        }
    }
}
