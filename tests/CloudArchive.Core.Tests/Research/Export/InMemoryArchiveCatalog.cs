using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using CloudArchive.Core.Research.Export;
using CloudArchive.Core.Tests.Ingest;

namespace CloudArchive.Core.Tests.Research.Export;

/// <summary>Lists the index records of an <see cref="InMemoryIngestStorage"/> archive in name order; the version is a content hash.</summary>
internal sealed class InMemoryArchiveCatalog(InMemoryIngestStorage storage) : IArchiveCatalog
{
    public async IAsyncEnumerable<ArchiveIndexEntry> ListIndexAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<ArchiveIndexEntry> entries;
        lock (storage)
        {
            entries = storage.Archive
                .Where(b => b.Key.StartsWith("index/", StringComparison.Ordinal))
                .OrderBy(b => b.Key, StringComparer.Ordinal)
                .Select(b =>
                {
                    var parts = b.Key["index/".Length..^".json.enc".Length].Split('/');
                    return new ArchiveIndexEntry(parts[0], parts[1], Convert.ToHexStringLower(SHA256.HashData(b.Value.Content))[..16]);
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
