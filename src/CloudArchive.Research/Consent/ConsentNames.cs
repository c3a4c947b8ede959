using CloudArchive.Core.Audit;

namespace CloudArchive.Research.Consent;

/// <summary>Blob names of consent records in the <c>control</c> container.</summary>
public static class ConsentNames
{
    /// <summary>Prefix under which every consent record is stored.</summary>
    public const string Prefix = "consents/";

    /// <summary><c>consents/{patientPseudonym}.json</c>.</summary>
    /// <exception cref="ArgumentException">The value is not a pseudonym (which keeps patient ids out of blob names).</exception>
    public static string For(string patientPseudonym)
    {
        if (!IsPseudonym(patientPseudonym))
        {
            throw new ArgumentException("Not a patient pseudonym (26 lowercase base32 characters).", nameof(patientPseudonym));
        }

        return Prefix + patientPseudonym + ".json";
    }

    /// <summary>Whether <paramref name="value"/> has the shape of a patient pseudonym (26 lowercase base32 characters).</summary>
    public static bool IsPseudonym(string? value) =>
        value is not null && OpaqueKey.IsValid(value) && !value.Any(char.IsAsciiLetterUpper);
}
