namespace Rotor.Contracts;

/// <summary>The answer of <c>GET /admin/users</c>: one page of the users matching the query, by username.</summary>
/// <param name="Items">The users.</param>
/// <param name="HasMore">Whether the next page (<c>page + 1</c>) has more.</param>
public sealed record AdminUserPage(IReadOnlyList<AdminUserResponse> Items, bool HasMore);
