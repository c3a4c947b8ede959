using System.Text.RegularExpressions;

namespace CloudArchive.Research.Common;

/// <summary>Shape rules for the codes agreements and consents carry (no patient data).</summary>
public static partial class ResearchCodes
{
    /// <summary>Whether <paramref name="code"/> is an HL7 v3 PurposeOfUse-style code (<c>\A[A-Z][A-Z0-9]{1,15}\z</c>, e.g. <c>HRESCH</c>).</summary>
    public static bool IsPurposeOfUse(string? code) => code is not null && Purpose().IsMatch(code);

    /// <summary>Whether <paramref name="code"/> is a DICOM CS code such as a modality or Body Part Examined (1–16 of A–Z, 0–9, _ and space inside).</summary>
    public static bool IsCodeString(string? code) => code is not null && CodeString().IsMatch(code);

    /// <summary>Whether <paramref name="id"/> is an Entra object id (a GUID in the 8-4-4-4-12 form).</summary>
    public static bool IsObjectId(string? id) => id is not null && id.Length == 36 && Guid.TryParseExact(id, "D", out _);

    // \A and \z, not ^ and $: $ also matches before a final "\n", so "abc\n" would pass.
    [GeneratedRegex(@"\A[A-Z][A-Z0-9]{1,15}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Purpose();

    [GeneratedRegex(@"\A[A-Z0-9_][A-Z0-9_ ]{0,14}[A-Z0-9_]?\z", RegexOptions.CultureInvariant)]
    private static partial Regex CodeString();
}
