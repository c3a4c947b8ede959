using CloudArchive.Cli.Commands.Common;
using CloudArchive.Dicom;

namespace CloudArchive.Cli.Commands.Dicom;

/// <summary>Parses the <c>--transfer-syntax</c> argument of <c>dicom convert</c>.</summary>
public static class TransferSyntaxChoice
{
    /// <summary>The words accepted besides a UID, for help text.</summary>
    public const string Words = "source|implicit|explicit|big|deflated|UID";

    /// <summary>
    /// Returns the transfer syntax named by <paramref name="text"/>, or <see langword="null"/> for
    /// <c>source</c> (keep the input's own transfer syntax).
    /// </summary>
    /// <exception cref="UsageException">The text is neither a known word nor a known transfer syntax UID.</exception>
    public static TransferSyntax? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        switch (text.Trim().ToLowerInvariant())
        {
            case "source":
            case "own":
                return null;
            case "implicit":
                return TransferSyntax.ImplicitVRLittleEndian;
            case "explicit":
                return TransferSyntax.ExplicitVRLittleEndian;
            case "big":
                return TransferSyntax.ExplicitVRBigEndian;
            case "deflated":
                return TransferSyntax.DeflatedExplicitVRLittleEndian;
        }

        var ts = TransferSyntax.Lookup(text.Trim());
        if (!ts.IsKnown)
        {
            throw new UsageException($"unknown transfer syntax '{text}'; use {Words}");
        }

        return ts;
    }
}
