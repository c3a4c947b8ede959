using CloudArchive.Core.Audit;
using CloudArchive.Core.Keys;
using CloudArchive.Core.Lifecycle.Shred;
using CloudArchive.Testing.Azurite;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CloudArchive.Azure.Tests.Lifecycle;

public sealed class ShredAcrossProcessesTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Another_process_with_the_key_cached_cannot_use_it_once_the_shred_has_returned()
    {
        using var first = await LifecycleArchive.CreateAsync(azurite);
        using var second = first.SecondInstance();
        var study = await first.SeedStudyAsync(LifecycleArchive.NewKey(), "2020-01-31");
        using (await second.Keyring.GetStudyKeyAsync(study.StudyKey, Ct))
        {
        }

        Assert.True(second.Keyring.CachedKeyCount > 0);

        await first.Services.GetRequiredService<StudyShredder>().ShredAsync(new StudyShredRequest(study.StudyKey, new AuditActor("cli:cloudarchive"), "operator-request"), Ct);

        var read = await Assert.ThrowsAsync<KeyringException>(() => second.Keyring.GetStudyKeyAsync(study.StudyKey, Ct));
        Assert.Equal(KeyringFailureReason.StudyShredded, read.Reason);
        var write = await Assert.ThrowsAsync<KeyringException>(() => second.Keyring.GetOrCreateStudyKeyAsync(study.StudyKey, Ct));
        Assert.Equal(KeyringFailureReason.StudyShredded, write.Reason);
        Assert.Equal(0, second.Keyring.CachedKeyCount);
    }

    [Fact]
    public async Task A_repeated_shred_completes_and_reports_that_no_key_was_left()
    {
        using var archive = await LifecycleArchive.CreateAsync(azurite);
        var study = await archive.SeedStudyAsync(LifecycleArchive.NewKey(), "2020-01-31");
        var shredder = archive.Services.GetRequiredService<StudyShredder>();
        var actor = new AuditActor("cli:cloudarchive");

        Assert.True((await shredder.ShredAsync(new StudyShredRequest(study.StudyKey, actor, "operator-request"), Ct)).KeyExisted);
        Assert.False((await shredder.ShredAsync(new StudyShredRequest(study.StudyKey, actor, "operator-request"), Ct)).KeyExisted);
        Assert.Equal(2, (await archive.AuditAsync()).Count(e => e.Details.Contains("study-shred-complete")));
    }
}
