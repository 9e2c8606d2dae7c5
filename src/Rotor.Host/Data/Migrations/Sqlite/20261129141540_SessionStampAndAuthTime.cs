using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rotor.Host.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SessionStampAndAuthTime : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_rotor_sessions_AspNetUsers_UserId",
                table: "rotor_sessions");

            migrationBuilder.AddColumn<long>(
                name: "AuthenticatedAt",
                table: "rotor_sessions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SecurityStamp",
                table: "rotor_sessions",
                type: "TEXT",
                maxLength: 256,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AuthenticatedAt",
                table: "rotor_sessions");

            migrationBuilder.DropColumn(
                name: "SecurityStamp",
                table: "rotor_sessions");

            migrationBuilder.AddForeignKey(
                name: "FK_rotor_sessions_AspNetUsers_UserId",
                table: "rotor_sessions",
                column: "UserId",
                principalTable: "AspNetUsers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
