using Microsoft.AspNetCore.Http;

namespace Rotor.Sessions;

/// <summary>
/// One refresh token presented for rotation, with what the request says about who presents it. Every refresh
/// endpoint (<c>/auth/refresh</c>, <c>/oauth/token</c>) builds one with <see cref="From"/> and hands it to
/// <see cref="SessionService.RefreshAsync(RefreshAttempt, CancellationToken)"/>, so a rule about the presenter (such
/// as a sender-constraining proof) is added here once and holds for both.
/// </summary>
/// <param name="RefreshToken">The token as presented; null or empty when none was sent.</param>
/// <param name="Mode">The transport it came by: <c>browser</c> (cookie) or <c>native</c> (body).</param>
/// <param name="Client">The client's address and User-Agent, for the session and the security log.</param>
/// <param name="DpopJkt">The thumbprint of the key of the request's valid DPoP proof (RFC 9449), or null without one.</param>
internal readonly record struct RefreshAttempt(string? RefreshToken, string Mode, ClientInfo Client, string? DpopJkt = null)
{
    /// <summary>The attempt of the current request: <paramref name="refreshToken"/> arrived by <paramref name="mode"/>, with a proof from <paramref name="dpopJkt"/>'s key.</summary>
    public static RefreshAttempt From(HttpContext context, string? refreshToken, string mode, string? dpopJkt = null) =>
        new(refreshToken, mode, ClientInfo.From(context), dpopJkt);
}
