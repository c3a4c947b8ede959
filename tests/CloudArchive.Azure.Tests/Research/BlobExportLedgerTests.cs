using System.Text;
using Azure.Storage.Blobs;
using CloudArchive.Azure.Research;
using CloudArchive.Research.Export;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Azure.Tests.Research;

public sealed class BlobExportLedgerTests(AzuriteFixture azurite)
{
    private const string Study = "abcdefghijklmnopqrstuvwxyz";
    private const string Other = "bbbbbbbbbbbbbbbbbbbbbbbbbb";
    private const string Instance = "iiiiiiiiiiiiiiiiiiiiiiiii2";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<BlobContainerClient> NewContainerAsync(string prefix)
    {
        return await azurite.CreateContainerAsync(prefix, cancellationToken: Ct);
    }

    private static ExportLedgerEntry Entry(string agreement, string study) => new()
    {
        AgreementId = agreement,
        StudyKey = study,
        PatientPseudonym = "pppppppppppppppppppppppppp",
        ResearchStudyUid = "2.25.10",
        SettingsHash = "s",
        SourceHash = "h",
        Instances = [new ExportLedgerInstance { InstanceKey = Instance, SourceVersion = "\"0x1\"", SeriesUid = "2.25.11", InstanceUid = "2.25.12", BlobName = $"{agreement}/studies/2.25.10/series/2.25.11/instances/2.25.12.dcm", Bytes = 42 }],
        FirstExportedAt = DateTimeOffset.UnixEpoch,
        UpdatedAt = DateTimeOffset.UnixEpoch.AddDays(1),
    };

    [Fact]
    public async Task Entries_round_trip_list_per_agreement_and_delete()
    {
        var control = await NewContainerAsync("control");
        var ledger = new BlobExportLedger(control);
        Assert.Null(await ledger.GetAsync("lung-1", Study, Ct));

        await ledger.PutAsync(Entry("lung-1", Study), Ct);
        await ledger.PutAsync(Entry("lung-1", Other), Ct);
        await ledger.PutAsync(Entry("lung-2", Study), Ct);

        var back = await ledger.GetAsync("lung-1", Study, Ct);
        Assert.NotNull(back);
        Assert.Equal(Entry("lung-1", Study).Instances.Single(), back.Instances.Single());
        Assert.Equal("pppppppppppppppppppppppppp", back.PatientPseudonym);
        var keys = new List<string>();
        await foreach (var key in ledger.ListStudyKeysAsync("lung-1", Ct))
        {
            keys.Add(key);
        }

        Assert.Equal([Study, Other], keys);
        Assert.True(await ledger.DeleteAsync("lung-1", Study, Ct));
        Assert.False(await ledger.DeleteAsync("lung-1", Study, Ct));
        Assert.Null(await ledger.GetAsync("lung-1", Study, Ct));
        Assert.NotNull(await ledger.GetAsync("lung-2", Study, Ct));
    }

    [Fact]
    public async Task A_tampered_entry_naming_another_agreements_blobs_is_a_typed_error()
    {
        var control = await NewContainerAsync("control");
        var ledger = new BlobExportLedger(control);
        await ledger.PutAsync(Entry("lung-1", Study), Ct);
        var name = ExportNames.LedgerEntry("lung-1", Study);
        var text = Encoding.UTF8.GetString((await DownloadAsync(control, name)).ToArray()).Replace("lung-1/studies/", "lung-2/studies/", StringComparison.Ordinal);
        await control.GetBlobClient(name).UploadAsync(new BinaryData(Encoding.UTF8.GetBytes(text)), overwrite: true, Ct);

        var ex = await Assert.ThrowsAsync<ExportLedgerFormatException>(() => ledger.GetAsync("lung-1", Study, Ct));
        Assert.Equal(name, ex.BlobName);
    }

    [Fact]
    public async Task The_admin_manifest_is_written_under_the_agreements_export_prefix()
    {
        var control = await NewContainerAsync("control");
        var manifest = new ExportManifest
        {
            Schema = ExportManifest.AdminSchemaId,
            AgreementId = "lung-1",
            ExportedAt = DateTimeOffset.UnixEpoch,
            SoftwareVersion = "1.0",
            Profile = "basic",
            Options = [],
            RetainUntil = "2027-01-01",
            ArchiveStudies = 1,
            Exported = new ExportTotals(0, 0, 0, 0),
            Run = new ExportRunCounts(0, 0, 0, 0, 0, 0),
            ExcludedByReason = new Dictionary<string, int> { ["consent-missing"] = 1 },
            ExcludedStudies = [new ExcludedStudy(Study, "consent-missing")],
        };
        await new BlobExportLedger(control).PutManifestAsync("lung-1", manifest, Ct);

        var back = ExportManifest.Parse((await DownloadAsync(control, "exports/lung-1/manifest.json")).ToArray());
        Assert.Equal(manifest.ExcludedStudies, back.ExcludedStudies);
        Assert.Equal(1, back.ExcludedByReason["consent-missing"]);
    }

    [Fact]
    public async Task The_catalog_lists_archived_instances_in_name_order_with_versions_and_ignores_other_blobs()
    {
        var archive = await NewContainerAsync("archive");
        foreach (var name in new[] { $"studies/{Other}/{Instance}.dcm.enc", $"studies/{Study}/{Instance}.dcm.enc", $"index/{Study}/{Instance}.json.enc", $"studies/{Study}/not-a-key.dcm.enc", "studies/readme.txt" })
        {
            await archive.GetBlobClient(name).UploadAsync(new BinaryData(new byte[] { 1 }), Ct);
        }

        var entries = new List<ArchiveIndexEntry>();
        await foreach (var entry in new BlobArchiveCatalog(archive).ListIndexAsync(Ct))
        {
            entries.Add(entry);
        }

        Assert.Equal([(Study, Instance), (Other, Instance)], entries.Select(e => (e.StudyKey, e.InstanceKey)));
        Assert.All(entries, e => Assert.False(string.IsNullOrEmpty(e.Version)));
    }

    private static async Task<MemoryStream> DownloadAsync(BlobContainerClient container, string name)
    {
        using var download = (await container.GetBlobClient(name).DownloadStreamingAsync(cancellationToken: Ct)).Value;
        var buffer = new MemoryStream();
        await download.Content.CopyToAsync(buffer, Ct);
        return buffer;
    }
}
