using CloudArchive.Core.Keys;
using CloudArchive.Research.Agreements;
using Xunit;

namespace CloudArchive.Research.Tests;

public sealed class AgreementServiceTests : IDisposable
{
    private readonly ResearchHarness _h = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _h.Dispose();

    private static AgreementDraft Draft(string id = "lung-2026")
    {
        var a = AgreementJsonTests.Sample();
        return new AgreementDraft
        {
            Id = id,
            Title = a.Title,
            PurposeOfUse = a.PurposeOfUse,
            Recipients = a.Recipients,
            ValidFrom = a.ValidFrom,
            ValidUntil = a.ValidUntil,
            Selection = a.Selection,
            Deidentification = a.Deidentification,
            CopyRetention = a.CopyRetention,
        };
    }

    [Fact]
    public async Task Create_stores_the_agreement_creates_its_secret_and_audits()
    {
        var service = _h.AgreementService();
        var created = await service.CreateAsync(Draft(), ResearchHarness.Admin, Ct);
        Assert.Equal(_h.Clock.GetUtcNow(), created.CreatedAt);
        Assert.Equal("cli:admin", created.CreatedBy);
        Assert.Equal(AgreementStatus.Active, created.Status);
        Assert.NotNull(await _h.KeyringStore.GetAsync(KeyringNames.Agreement("lung-2026"), Ct));
        var stored = await service.GetAsync("lung-2026", Ct);
        Assert.Equal("Lung nodules", stored.Agreement.Title);
        var audit = _h.AuditText();
        Assert.Contains("agreement-created", audit, StringComparison.Ordinal);
        Assert.Contains("lung-2026", audit, StringComparison.Ordinal);
        Assert.Contains("HRESCH", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_with_a_taken_id_is_refused()
    {
        var service = _h.AgreementService();
        await service.CreateAsync(Draft(), ResearchHarness.Admin, Ct);
        var ex = await Assert.ThrowsAsync<AgreementOperationException>(() => service.CreateAsync(Draft() with { Title = "again" }, ResearchHarness.Admin, Ct));
        Assert.Equal(AgreementOperationFailure.AlreadyExists, ex.Failure);
    }

    [Fact]
    public async Task Invalid_draft_writes_nothing_and_creates_no_secret()
    {
        var service = _h.AgreementService();
        var ex = await Assert.ThrowsAsync<AgreementFormatException>(() => service.CreateAsync(Draft() with { CopyRetention = "forever" }, ResearchHarness.Admin, Ct));
        Assert.Equal("$.copyRetention", ex.Location);
        Assert.Null(await _h.KeyringStore.GetAsync(KeyringNames.Agreement("lung-2026"), Ct));
        Assert.Equal(string.Empty, _h.AuditText());
    }

    [Fact]
    public async Task Close_records_who_when_why_and_audits_and_cannot_repeat()
    {
        var service = _h.AgreementService();
        await service.CreateAsync(Draft(), ResearchHarness.Admin, Ct);
        _h.Clock.Advance(TimeSpan.FromDays(3));
        var closed = await service.CloseAsync("lung-2026", "study finished", ResearchHarness.Admin, null, Ct);
        Assert.Equal(AgreementStatus.Closed, closed.Status);
        Assert.Equal(_h.Clock.GetUtcNow(), closed.ClosedAt);
        Assert.False(closed.IsInForceAt(_h.Clock.GetUtcNow()));
        Assert.Equal("study finished", (await service.GetAsync("lung-2026", Ct)).Agreement.CloseReason);
        Assert.Contains("agreement-closed", _h.AuditText(), StringComparison.Ordinal);
        var again = await Assert.ThrowsAsync<AgreementOperationException>(() => service.CloseAsync("lung-2026", "x", ResearchHarness.Admin, null, Ct));
        Assert.Equal(AgreementOperationFailure.AlreadyClosed, again.Failure);
    }

    [Fact]
    public async Task Close_fails_on_a_stale_etag_or_a_concurrent_change()
    {
        var service = _h.AgreementService();
        await service.CreateAsync(Draft(), ResearchHarness.Admin, Ct);
        var stale = await Assert.ThrowsAsync<AgreementOperationException>(() => service.CloseAsync("lung-2026", "x", ResearchHarness.Admin, "\"old\"", Ct));
        Assert.Equal(AgreementOperationFailure.Conflict, stale.Failure);

        var current = await service.GetAsync("lung-2026", Ct);
        _h.Agreements.BeforeReplace = async () =>
        {
            _h.Agreements.BeforeReplace = null;
            Assert.True(await _h.Agreements.TryReplaceAsync(current.Agreement with { Title = "edited" }, current.ETag, Ct));
        };
        var raced = await Assert.ThrowsAsync<AgreementOperationException>(() => service.CloseAsync("lung-2026", "x", ResearchHarness.Admin, current.ETag, Ct));
        Assert.Equal(AgreementOperationFailure.Conflict, raced.Failure);
        Assert.Equal(AgreementStatus.Active, (await service.GetAsync("lung-2026", Ct)).Agreement.Status);
        Assert.DoesNotContain("agreement-closed", _h.AuditText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Close_requires_a_reason_and_an_existing_agreement()
    {
        var service = _h.AgreementService();
        await Assert.ThrowsAsync<AgreementFormatException>(() => service.CloseAsync("lung-2026", " ", ResearchHarness.Admin, null, Ct));
        var missing = await Assert.ThrowsAsync<AgreementOperationException>(() => service.CloseAsync("lung-2026", "x", ResearchHarness.Admin, null, Ct));
        Assert.Equal(AgreementOperationFailure.NotFound, missing.Failure);
    }

    [Fact]
    public async Task List_returns_agreements_in_id_order()
    {
        var service = _h.AgreementService();
        await service.CreateAsync(Draft("bbb"), ResearchHarness.Admin, Ct);
        await service.CreateAsync(Draft("aaa"), ResearchHarness.Admin, Ct);
        var ids = new List<string>();
        await foreach (var a in service.ListAsync(Ct))
        {
            ids.Add(a.Agreement.Id);
        }

        Assert.Equal(["aaa", "bbb"], ids);
    }
}
