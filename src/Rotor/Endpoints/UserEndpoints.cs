using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Rotor.Contracts;
using Rotor.Http;
using Rotor.Security;

namespace Rotor.Endpoints;

/// <summary><c>GET /users/me</c>: who the caller is, or null when they sent no token.</summary>
internal static class UserEndpoints
{
    private static readonly string[] Schemes = [RotorAuthenticationDefaults.AuthenticationScheme];

    public static async Task<Results<JsonHttpResult<MeResponse>, ChallengeHttpResult>> MeAsync(HttpContext context)
    {
        var auth = await context.AuthenticateAsync(RotorAuthenticationDefaults.AuthenticationScheme);
        TokenResults.NoStore(context.Response);
        if (auth.None)
        {
            return TypedResults.Json(new MeResponse(null), RotorJsonContext.Default.MeResponse);
        }

        if (!auth.Succeeded)
        {
            return TypedResults.Challenge(null, Schemes);
        }

        var principal = auth.Principal;
        var user = new UserResponse(principal.GetUserId()!, principal.FindFirst("name")?.Value, principal.FindFirst("email")?.Value);
        return TypedResults.Json(new MeResponse(user), RotorJsonContext.Default.MeResponse);
    }
}
