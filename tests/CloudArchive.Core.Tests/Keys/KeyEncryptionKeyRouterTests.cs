using CloudArchive.Core.Crypto;
using Xunit;

namespace CloudArchive.Core.Tests.Keys;

public sealed class KeyEncryptionKeyRouterTests
{
    [Fact]
    public async Task Key_ids_are_routed_to_the_provider_that_claims_them()
    {
        using var a = new TestKek();
        using var b = new TestKek();
        var ka = await a.GetCurrentKeyAsync(TestContext.Current.CancellationToken);
        var kb = await b.GetCurrentKeyAsync(TestContext.Current.CancellationToken);
        Assert.NotEqual(ka.KeyId, kb.KeyId);
        var router = new KeyEncryptionKeyRouter([a, b]);
        var wrapped = await kb.WrapKeyAsync("RSA-OAEP-256", new byte[32], TestContext.Current.CancellationToken);
        var resolved = await router.ResolveAsync(kb.KeyId, TestContext.Current.CancellationToken);
        Assert.Equal(kb.KeyId, resolved.KeyId);
        Assert.Equal(new byte[32], await resolved.UnwrapKeyAsync("RSA-OAEP-256", wrapped, TestContext.Current.CancellationToken));
        Assert.Equal(ka.KeyId, router.Resolve(ka.KeyId, TestContext.Current.CancellationToken).KeyId);
    }

    [Fact]
    public void An_id_no_provider_claims_is_not_found()
    {
        using var a = new TestKek();
        var router = new KeyEncryptionKeyRouter([a]);
        var ex = Assert.Throws<KeyNotFoundException>(() => router.Resolve("https://v.vault.azure.net/keys/k/1", TestContext.Current.CancellationToken));
        Assert.Contains("No configured key provider", ex.Message, StringComparison.Ordinal);
    }
}
