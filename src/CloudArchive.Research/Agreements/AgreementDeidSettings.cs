using System.Text.Json;
using CloudArchive.Deidentification;

namespace CloudArchive.Research.Agreements;

/// <summary>Turns an agreement's de-identification section into the de-identifier's settings.</summary>
public static class AgreementDeidSettings
{
    /// <summary>
    /// The settings an export applies: the embedded profile (or the Basic Profile alone) plus the agreement's options.
    /// </summary>
    /// <exception cref="DeidConfigurationException">The embedded profile or an option is invalid, or options conflict.</exception>
    public static DeidSettings Build(AgreementDeidentification deidentification)
    {
        ArgumentNullException.ThrowIfNull(deidentification);
        var options = new List<DeidOption>();
        var keys = deidentification.Options ?? [];
        for (var i = 0; i < keys.Count; i++)
        {
            if (!DeidOptionInfo.TryParse(keys[i], out var option) || DeidOptionInfo.Key(option) != keys[i])
            {
                throw new DeidConfigurationException($"options[{i}]", $"unknown option; expected one of {string.Join(", ", DeidOptionInfo.All.Select(DeidOptionInfo.Key))}");
            }

            options.Add(option);
        }

        if (options.Distinct().Count() != options.Count)
        {
            throw new DeidConfigurationException("options", "an option is listed twice");
        }

        if (deidentification.Profile is { } profile)
        {
            return DeidProfileLoader.Parse(profile.GetRawText(), options);
        }

        return DeidSettings.Create("basic", options);
    }

    /// <summary>The settings for a stored agreement.</summary>
    /// <exception cref="DeidConfigurationException">The embedded profile or an option is invalid.</exception>
    public static DeidSettings Build(DataSharingAgreement agreement)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        return Build(agreement.Deidentification);
    }

    /// <summary>The profile's <c>name</c>, or <c>basic</c> without a profile (or when the profile has no string name).</summary>
    public static string ProfileNameOf(JsonElement? profile) =>
        profile is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String
            ? n.GetString()!
            : "basic";

    /// <summary>
    /// Canonical option keys for an option list as typed on a command line (<c>retainUIDs,cleanDescriptors</c>;
    /// case, dashes and underscores ignored), in a fixed order.
    /// </summary>
    /// <exception cref="DeidConfigurationException">An unknown option.</exception>
    public static IReadOnlyList<string> CanonicalOptionKeys(string? list) =>
        DeidProfileLoader.ParseOptionList(list).Distinct().Order().Select(DeidOptionInfo.Key).ToArray();
}
