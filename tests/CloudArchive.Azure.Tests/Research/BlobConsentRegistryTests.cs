using System.Text;
using Azure.Storage.Blobs;
using CloudArchive.Azure.Research;
using CloudArchive.Research.Consent;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Azure.Tests.Research;

public sealed class BlobConsentRegistryTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(BlobConsentRegistry Registry, BlobContainerClient Container)> NewRegistryAsync()
    {
        var container = await azurite.CreateContainerAsync("control", cancellationToken: Ct);
        return (new BlobConsentRegistry(container), container);
    }

    [Fact]
    public async Task Put_then_get_round_trips_every_field_under_the_pseudonym_name()
    {
        var (registry, container) = await NewRegistryAsync();
        var pseudonym = ResearchTestData.Pseudonym('b');
        Assert.Null(await registry.GetAsync(pseudonym, Ct));
        var record = ResearchTestData.Consent(pseudonym);
        await registry.PutAsync(record, Ct);

        Assert.True((await container.GetBlobClient($"consents/{pseudonym}.json").ExistsAsync(Ct)).Value);
        var read = await registry.GetAsync(pseudonym, Ct);
        Assert.NotNull(read);
        Assert.Equal(record.Status, read.Status);
        Assert.Equal(record.PeriodStart, read.PeriodStart);
        Assert.Equal(record.PeriodEnd, read.PeriodEnd);
        Assert.Equal(record.DataFrom, read.DataFrom);
        Assert.Null(read.DataTo);
        Assert.Equal(record.Purposes, read.Purposes);
        Assert.Equal(record.Actors, read.Actors);
        Assert.Equal(["MR"], Assert.Single(read.Deny).Modalities);
        Assert.Equal("consent-1", read.SourceId);
        Assert.Equal(record.RecordedAt, read.RecordedAt);
    }

    [Fact]
    public async Task Put_replaces_the_current_record()
    {
        var (registry, _) = await NewRegistryAsync();
        var pseudonym = ResearchTestData.Pseudonym('c');
        await registry.PutAsync(ResearchTestData.Consent(pseudonym), Ct);
        await registry.PutAsync(ResearchTestData.Consent(pseudonym) with { Status = ConsentStatus.Inactive, StatusReason = "withdrawn by phone" }, Ct);
        var read = (await registry.GetAsync(pseudonym, Ct))!;
        Assert.Equal(ConsentStatus.Inactive, read.Status);
        Assert.Equal("withdrawn by phone", read.StatusReason);
    }

    [Fact]
    public async Task List_returns_every_record_and_skips_foreign_blobs()
    {
        var (registry, container) = await NewRegistryAsync();
        await registry.PutAsync(ResearchTestData.Consent(ResearchTestData.Pseudonym('d')), Ct);
        await registry.PutAsync(ResearchTestData.Consent(ResearchTestData.Pseudonym('e')), Ct);
        using (var s = new MemoryStream("x"u8.ToArray()))
        {
            await container.GetBlobClient("consents/notes.txt").UploadAsync(s, Ct);
        }

        var list = new List<string>();
        await foreach (var r in registry.ListAsync(Ct))
        {
            list.Add(r.PatientPseudonym);
        }

        Assert.Equal([ResearchTestData.Pseudonym('d'), ResearchTestData.Pseudonym('e')], list.Order());
    }

    [Fact]
    public async Task Invalid_record_is_refused_and_nothing_is_written()
    {
        var (registry, container) = await NewRegistryAsync();
        var pseudonym = ResearchTestData.Pseudonym('f');
        var ex = await Assert.ThrowsAsync<ConsentFormatException>(() => registry.PutAsync(ResearchTestData.Consent(pseudonym) with { Purposes = ["research"] }, Ct));
        Assert.Equal("$.purposes[0]", ex.Location);
        Assert.False((await container.GetBlobClient($"consents/{pseudonym}.json").ExistsAsync(Ct)).Value);
    }

    [Fact]
    public async Task A_patient_id_is_never_accepted_as_a_key()
    {
        var (registry, _) = await NewRegistryAsync();
        await Assert.ThrowsAsync<ArgumentException>(() => registry.GetAsync("PAT-0001", Ct));
        var ex = await Assert.ThrowsAsync<ConsentFormatException>(() => registry.PutAsync(ResearchTestData.Consent("PAT-0001"), Ct));
        Assert.Equal("$.patientPseudonym", ex.Location);
        Assert.DoesNotContain("PAT-0001", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Record_stored_under_another_pseudonym_is_refused()
    {
        var (registry, container) = await NewRegistryAsync();
        var pseudonym = ResearchTestData.Pseudonym('g');
        var other = ResearchTestData.Pseudonym('h');
        await registry.PutAsync(ResearchTestData.Consent(pseudonym), Ct);
        using (var s = new MemoryStream(ConsentJson.Serialize(ResearchTestData.Consent(pseudonym))))
        {
            await container.GetBlobClient($"consents/{other}.json").UploadAsync(s, Ct);
        }

        var ex = await Assert.ThrowsAsync<ConsentFormatException>(() => registry.GetAsync(other, Ct));
        Assert.Equal("$.patientPseudonym", ex.Location);
    }

    [Fact]
    public async Task Malformed_stored_record_surfaces_as_format_exception_without_values()
    {
        var (registry, container) = await NewRegistryAsync();
        var pseudonym = ResearchTestData.Pseudonym('i');
        using (var s = new MemoryStream(Encoding.UTF8.GetBytes("{\"schema\":\"cloudarchive/consent/v1\",\"patientPseudonym\":\"" + pseudonym + "\",\"status\":\"SECRET-VALUE\"}")))
        {
            await container.GetBlobClient($"consents/{pseudonym}.json").UploadAsync(s, Ct);
        }

        var ex = await Assert.ThrowsAsync<ConsentFormatException>(() => registry.GetAsync(pseudonym, Ct));
        Assert.Equal("$.status", ex.Location);
        Assert.DoesNotContain("SECRET-VALUE", ex.Message, StringComparison.Ordinal);
    }
}
