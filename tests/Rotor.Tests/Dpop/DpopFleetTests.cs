using System.Net;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Dpop;

/// <summary>
/// Two instances on one database: a proof accepted by one is refused by the other (the replay cache is the database's),
/// and a nonce made by one is accepted by the other (derived from the shared key ring).
/// </summary>
public sealed class DpopFleetTests : IDisposable
{
    private readonly TwoInstances _pair = new(directory => new RotorApp(
        new Dictionary<string, string?> { ["Rotor:Dpop:RequireNonce"] = "true" }, directory: directory));

    private readonly DpopKey _key = DpopKey.NewEc();

    public void Dispose()
    {
        _key.Dispose();
        _pair.Dispose();
    }

    [Fact]
    public async Task A_proof_used_on_one_instance_is_refused_on_the_other_and_a_nonce_from_one_works_on_both()
    {
        var username = (string)(await _pair.A.RegisterAsync())["username"]!;
        using var ask = await _pair.A.LoginWithProofAsync(username, _pair.A.ProofFor(_key, HttpMethod.Post, "/auth/login"));
        var nonce = Assert.Single(ask.Headers.GetValues("DPoP-Nonce"));

        var proof = _pair.A.ProofFor(_key, HttpMethod.Post, "/auth/login", nonce: nonce);
        using (var onA = await _pair.A.LoginWithProofAsync(username, proof))
        {
            await DpopCalls.AssertTokensAsync(onA, "DPoP");
        }

        using (var replayOnB = await _pair.B.LoginWithProofAsync(username, proof))
        {
            await RotorClient.AssertProblemAsync(replayOnB, HttpStatusCode.Unauthorized, "invalid_dpop_proof");
        }

        // B takes A's nonce for a new proof, and refreshes the session A started.
        using var login = await _pair.B.LoginWithProofAsync(username, _pair.B.ProofFor(_key, HttpMethod.Post, "/auth/login", nonce: nonce));
        var session = NativeSession.From(await DpopCalls.AssertTokensAsync(login, "DPoP"), username);
        var refreshProof = _pair.B.ProofFor(_key, HttpMethod.Post, "/auth/refresh", nonce: nonce);
        using (var onB = await _pair.B.RefreshWithProofAsync(session.RefreshToken, refreshProof))
        {
            session = NativeSession.From(await DpopCalls.AssertTokensAsync(onB, "DPoP"), username);
        }

        using var replayOnA = await _pair.A.RefreshWithProofAsync(session.RefreshToken, refreshProof);
        await RotorClient.AssertProblemAsync(replayOnA, HttpStatusCode.Unauthorized, "invalid_dpop_proof");
    }
}
