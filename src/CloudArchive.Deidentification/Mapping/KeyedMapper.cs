using System.Globalization;
using System.Numerics;
using CloudArchive.Dicom;

namespace CloudArchive.Deidentification;

/// <summary>
/// Deterministic, keyed replacements: UIDs, patient pseudonyms, per-patient date offsets and dummy values. Each is
/// HMAC-SHA256 under the <see cref="ProjectSecret"/> with its own label, so the same input maps to the same output in
/// every run, and nobody without the secret can invert or recompute a mapping.
/// </summary>
public sealed class KeyedMapper
{
    private const string Base32Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private readonly ProjectSecret _secret;

    /// <summary>Creates a mapper for one project.</summary>
    public KeyedMapper(ProjectSecret secret)
    {
        this._secret = secret ?? throw new ArgumentNullException(nameof(secret));
    }

    /// <summary>
    /// The replacement UID: <c>2.25.</c> followed by the decimal value of a 128-bit UUID (PS3.5 B.2) whose bits are the
    /// first 16 bytes of HMAC(secret, "uid", uid), with the RFC 9562 version (8, custom) and variant bits set. At most
    /// 44 characters, no leading zero, so always a valid UI value.
    /// </summary>
    public string MapUid(string uid)
    {
        ArgumentNullException.ThrowIfNull(uid);
        var h = _secret.Derive("uid", uid.Trim().TrimEnd('\0'));
        Span<byte> u = stackalloc byte[16];
        h.AsSpan(0, 16).CopyTo(u);
        u[6] = (byte)((u[6] & 0x0F) | 0x80);
        u[8] = (byte)((u[8] & 0x3F) | 0x80);
        var value = new BigInteger(u, isUnsigned: true, isBigEndian: true);
        return "2.25." + value.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The pseudonymous Patient ID for a patient key: <c>ANON</c> and 16 base32 characters (80 bits).</summary>
    public string PatientId(string patientKey) => "ANON" + Token("patient-id", patientKey, 16);

    /// <summary>The pseudonymous Patient's Name for a patient key: family name <c>ANON</c>, given name a 10-character
    /// token, so viewers still show a two-component name.</summary>
    public string PatientName(string patientKey) => "ANON^" + Token("patient-name", patientKey, 10);

    /// <summary>
    /// The date offset, in days, for one patient: uniform in [<paramref name="minDays"/>, <paramref name="maxDays"/>],
    /// never 0, derived from HMAC(secret, "date-offset", patient key). One patient always gets the same offset, so
    /// intervals between the patient's studies are preserved.
    /// </summary>
    public int DateOffsetDays(string patientKey, int minDays, int maxDays)
    {
        if (minDays > maxDays)
        {
            throw new ArgumentException("minDays must not exceed maxDays.", nameof(minDays));
        }

        var h = _secret.Derive("date-offset", patientKey);
        var r = BitConverter.ToUInt64(h, 0);
        var span = (ulong)((long)maxDays - minDays + 1);
        var zeroInRange = minDays <= 0 && maxDays >= 0;
        if (zeroInRange)
        {
            if (span == 1)
            {
                throw new ArgumentException("The date offset range must contain a non-zero value.", nameof(minDays));
            }

            // Draw from the range without 0, then skip over 0.
            var v = minDays + (long)(r % (span - 1));
            return (int)(v >= 0 ? v + 1 : v);
        }

        return (int)(minDays + (long)(r % span));
    }

    /// <summary>
    /// A non-zero-length dummy consistent with <paramref name="vr"/> for action D. Text dummies are keyed tokens of the
    /// original value (so equal originals map to equal dummies across instances, as E.1.1 Note 3 asks for entity
    /// identifiers) and never contain any of the original characters' meaning.
    /// </summary>
    public string DummyText(DicomTag tag, DicomVR vr, string original)
    {
        var token = Token("dummy", tag.ToString() + "\u0001" + original, 16);
        return vr.Code switch
        {
            "PN" => "ANON^" + token[..10],
            "AE" => "ANON" + token[..12],
            "CS" => "ANON" + token[..12],
            "SH" => "ANON" + token[..12],
            "AS" => "000D",
            "DA" => "19000101",
            "TM" => "000000",
            "DT" => "19000101000000",
            "DS" or "IS" => "0",
            "UR" => "urn:anon:" + token,
            "UI" => MapUid(original),
            _ => "ANON" + token,
        };
    }

    /// <summary>A keyed token of <paramref name="length"/> characters from an unambiguous base32 alphabet.</summary>
    internal string Token(string label, string text, int length)
    {
        var h = _secret.Derive(label, text);
        var chars = new char[length];
        var bits = 0;
        var acc = 0;
        var byteIndex = 0;
        for (var i = 0; i < length; i++)
        {
            while (bits < 5)
            {
                acc = (acc << 8) | h[byteIndex++ % h.Length];
                bits += 8;
            }

            chars[i] = Base32Alphabet[(acc >> (bits - 5)) & 31];
            bits -= 5;
        }

        return new string(chars);
    }
}
