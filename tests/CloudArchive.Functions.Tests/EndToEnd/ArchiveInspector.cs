using System.Text;
using CloudArchive.Azure.Audit;
using CloudArchive.Azure.Ingest;
using CloudArchive.Core.Archive;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Crypto;
using CloudArchive.Core.Keys;
using CloudArchive.Dicom;
using Microsoft.Extensions.DependencyInjection;

namespace CloudArchive.Functions.Tests.EndToEnd;

/// <summary>Reads back what the app stored: decrypted instances, index records, audit lines, and every plaintext surface for PHI scans.</summary>
internal sealed class ArchiveInspector(IngestApp app)
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private Keyring Keyring => app.Services.GetRequiredService<Keyring>();

    public async Task<Dictionary<string, (string BlobName, string StudyKey)>> ArchivedInstancesAsync()
    {
        var result = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var item in await app.ListAsync(app.Archive, "studies/"))
        {
            var parts = item.Name.Split('/');
            result.Add(parts[2][..^".dcm.enc".Length], (item.Name, parts[1]));
        }

        return result;
    }

    public async Task<byte[]> DecryptAsync(string blobName)
    {
        using var download = (await app.Archive.GetBlobClient(blobName).DownloadStreamingAsync(cancellationToken: Ct)).Value;
        var decryptor = new EnvelopeDecryptor(Keyring.StudyKeyResolver);
        await using var plain = await decryptor.OpenReadAsync(download.Content, download.Details.Metadata.AsReadOnly(), blobName, download.Details.ContentLength, leaveOpen: true, cancellationToken: Ct);
        var output = new MemoryStream();
        await plain.CopyToAsync(output, Ct);
        return output.ToArray();
    }

    public Task<InstanceIndexRecord?> IndexRecordAsync(string studyKey, string instanceKey) =>
        new InstanceIndexReader(new BlobArchiveStore(app.Archive, app.Connection.Options), Keyring).ReadAsync(studyKey, instanceKey, Ct);

    public async Task<IReadOnlyList<(string Line, AuditRecord Record)>> AuditLinesAsync()
    {
        var lines = new List<(string, AuditRecord)>();
        foreach (var item in await app.ListAsync(app.Audit, AuditBlobName.Root))
        {
            var text = Encoding.UTF8.GetString(await app.ReadAllAsync(app.Audit, item.Name));
            foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                lines.Add((line, AuditLineSerializer.Parse(Encoding.UTF8.GetBytes(line))));
            }
        }

        return lines;
    }

    public Task<AuditVerificationReport> VerifyAuditAsync() =>
        new AuditLogVerifier(new BlobAuditLogStore(app.Audit), Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<IAuditChainKeySource>(app.Services)).VerifyAsync(null, null, Ct);

    /// <summary>
    /// Every plaintext surface the archive controls: names, metadata and tags of every blob in every container (the test's upload names
    /// carry no planted value), and the content of everything: reason documents, keyring entries, audit lines, and the raw ciphertext
    /// of archive blobs and quarantine copies (which must not leak plaintext).
    /// </summary>
    public async Task<List<(string Where, string Text)>> PlaintextSurfacesAsync()
    {
        var surfaces = new List<(string, string)>();
        foreach (var container in new[] { app.Archive, app.Keyring, app.Audit, app.Quarantine, app.Incoming })
        {
            foreach (var item in await app.ListAsync(container))
            {
                surfaces.Add(($"{container.Name} name", item.Name));

                // The listing leaves Metadata and Tags null for a blob that has none.
                surfaces.AddRange((item.Metadata ?? new Dictionary<string, string>()).Select(m => ($"{container.Name}/{item.Name} metadata {m.Key}", m.Value)));
                surfaces.AddRange((item.Tags ?? new Dictionary<string, string>()).Select(t => ($"{container.Name}/{item.Name} tag {t.Key}", t.Value)));
                if (container.Name == app.Containers.Archive)
                {
                    var tags = (await app.Archive.GetBlobClient(item.Name).GetTagsAsync(cancellationToken: Ct)).Value.Tags;
                    surfaces.AddRange(tags.Select(t => ($"{container.Name}/{item.Name} tag {t.Key}", t.Value)));
                }

                // Latin-1 keeps every byte as one char, so a planted ASCII token is found in binary content too.
                surfaces.Add(($"{container.Name}/{item.Name} content", Encoding.Latin1.GetString(await app.ReadAllAsync(container, item.Name))));
            }
        }

        return surfaces;
    }

    /// <summary>Pixel data as bytes (native) or as the concatenated fragments (encapsulated).</summary>
    public static byte[]? PixelData(DicomDataset dataset)
    {
        if (!dataset.Contains(DicomTags.PixelData))
        {
            return null;
        }

        return dataset[DicomTags.PixelData] switch
        {
            DicomValueElement value => value.GetBytes().ToArray(),
            DicomFragmentSequence fragments => fragments.Fragments.SelectMany(f => ReadAll(f.OpenRead())).ToArray(),
            var other => throw new InvalidOperationException(other.GetType().Name),
        };
    }

    private static byte[] ReadAll(Stream stream)
    {
        using (stream)
        {
            var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            return buffer.ToArray();
        }
    }
}
