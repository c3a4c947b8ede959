using System.Text;

namespace CloudArchive.Research.Export;

/// <summary>The kebab-case codes of <see cref="ExclusionReason"/> used in manifests and audit details (e.g. <c>consent-missing</c>).</summary>
public static class ExclusionReasonCodes
{
    /// <summary>The code of a reason.</summary>
    public static string Code(ExclusionReason reason) => Kebab(reason.ToString());

    /// <summary>The reason of a code, or null when it is not one.</summary>
    public static ExclusionReason? Parse(string? code) =>
        Enum.GetValues<ExclusionReason>().Cast<ExclusionReason?>().FirstOrDefault(r => Code(r!.Value) == code);

    /// <summary><c>ConsentNotActive</c> → <c>consent-not-active</c>.</summary>
    internal static string Kebab(string pascal)
    {
        var sb = new StringBuilder(pascal.Length + 8);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsUpper(c) && i > 0)
            {
                sb.Append('-');
            }

            sb.Append(char.ToLowerInvariant(c));
        }

        return sb.ToString();
    }
}
