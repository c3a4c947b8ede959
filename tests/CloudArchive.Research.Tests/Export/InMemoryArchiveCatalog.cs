using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using CloudArchive.Core.Archive;
using CloudArchive.Core.Tests.Ingest;
using CloudArchive.Research.Export;

namespace CloudArchive.Research.Tests.Export;

/// <summary>Lists the instances of an <see cref="InMemoryIngestStorage"/> archive in name order; the version hashes content and sealed index.</summary>
internal sealed class InMemoryArchiveCatalog(InMemoryIngestStorage storage) : IArchiveCatalog
{
    public async IAsyncEnumerable<ArchiveIndexEntry> ListIndexAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<ArchiveIndexEntry> entries;
        lock (storage)
        {
            entries = storage.Archive
                .Where(b => b.Key.StartsWith("studies/", StringComparison.Ordinal))
                .OrderBy(b => b.Key, StringComparer.Ordinal)
                .Select(b =>
                {
                    var parts = b.Key["studies/".Length..^".dcm.enc".Length].Split('/');
                    var sealedIndex = b.Value.Metadata.GetValueOrDefault(InstanceIndex.SealedMetadataName, string.Empty);
                    return new ArchiveIndexEntry(parts[0], parts[1], Convert.ToHexStringLower(SHA256.HashData([.. b.Value.Content, .. System.Text.Encoding.UTF8.GetBytes(sealedIndex)]))[..16]);
                })
                .ToList();
        }

        foreach (var entry in entries)
        {
            await Task.Yield();
            yield return entry;
        }
    }
}
