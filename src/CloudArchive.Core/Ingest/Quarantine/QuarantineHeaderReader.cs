using CloudArchive.Core.Keys;
using CloudArchive.Dicom;

namespace CloudArchive.Core.Ingest.Quarantine;

/// <summary>
/// Reads the non-PHI header facts of a decrypted quarantine copy (<see cref="QuarantineHeaderFacts"/>). The plaintext
/// is spooled to an owner-only temporary file deleted on close (the codec needs a seekable stream), never to memory.
/// </summary>
internal static class QuarantineHeaderReader
{
    public static async Task<QuarantineHeaderFacts> ReadAsync(Stream plaintext, OpaqueKeyNamer namer, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), "cloudarchive-quarantine-" + Guid.NewGuid().ToString("N") + ".tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Share = FileShare.None, Options = FileOptions.DeleteOnClose | FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var spool = new FileStream(path, options);
        await using (spool.ConfigureAwait(false))
        {
            await plaintext.CopyToAsync(spool, cancellationToken).ConfigureAwait(false);
            var length = spool.Length;
            var part10 = false;
            if (length >= 132)
            {
                spool.Position = 128;
                var magic = new byte[4];
                await spool.ReadExactlyAsync(magic, cancellationToken).ConfigureAwait(false);
                part10 = magic is [(byte)'D', (byte)'I', (byte)'C', (byte)'M'];
            }

            spool.Position = 0;
            try
            {
                var file = await DicomFile.ReadAsync(spool, new DicomReaderOptions { MaxInflatedLength = 2L << 30 }, cancellationToken).ConfigureAwait(false);
                await using (file.ConfigureAwait(false))
                {
                    var dataset = file.Dataset;
                    var meta = file.FileMetaInformation;
                    var sopInstance = Uid(dataset.GetString(DicomTags.SOPInstanceUID));
                    var metaInstance = Uid(meta.GetString(DicomTags.MediaStorageSOPInstanceUID));
                    var study = Uid(dataset.GetString(DicomTags.StudyInstanceUID));
                    return new QuarantineHeaderFacts
                    {
                        Length = length,
                        Part10 = part10,
                        TransferSyntaxUid = file.TransferSyntaxWasGuessed ? null : file.TransferSyntax.Uid,
                        SopClassUid = Uid(dataset.GetString(DicomTags.SOPClassUID)),
                        MediaStorageSopClassUid = Uid(meta.GetString(DicomTags.MediaStorageSOPClassUID)),
                        MetaInstanceMatches = sopInstance is null || metaInstance is null ? null : string.Equals(sopInstance, metaInstance, StringComparison.Ordinal),
                        Modality = Code(dataset.GetString(DicomTags.Modality)),
                        StudyKey = study is null ? null : namer.NameFor(study),
                        InstanceKey = sopInstance is null ? null : namer.NameFor(sopInstance),
                    };
                }
            }
            catch (Exception ex) when (ex is DicomFormatException or DicomValueException)
            {
                return new QuarantineHeaderFacts { Length = length, Part10 = part10, ReadProblem = ex is DicomFormatException d ? "dicom-format: " + d.Reason : "unreadable header" };
            }
        }
    }

    private static string? Uid(string? value) => DicomUid.TryNormalize(value, out var uid, out _) ? uid : null;

    /// <summary>A short code (modality) or null; anything that is not a plain code is dropped rather than printed.</summary>
    private static string? Code(string? value)
    {
        var trimmed = value?.Trim('\0', ' ');
        return trimmed is { Length: > 0 and <= 16 } && trimmed.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? trimmed : null;
    }
}
