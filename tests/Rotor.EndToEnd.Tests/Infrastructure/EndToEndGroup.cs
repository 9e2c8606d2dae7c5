namespace Rotor.EndToEnd.Tests.Infrastructure;

/// <summary>
/// All browser tests share one Chromium and run one after another: their waits are about a 3-second token,
/// and a busy machine running several at once would only make those waits less telling.
/// </summary>
[CollectionDefinition(Name)]
public sealed class EndToEndGroup : ICollectionFixture<BrowserFixture>
{
    public const string Name = "End to end";
}
