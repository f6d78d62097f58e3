#!/usr/bin/env bash
# Creates (or brings up to date) the Entra ID app registration of the newsroom API. Bicep cannot create app
# registrations (that needs the Microsoft Graph extension, not available offline), so this runs once per
# tenant with the Azure CLI, signed in as someone allowed to register applications:
#
#   infra/entra/register.sh [display-name]          # prints the application (client) id
#   azd env set NEWSROOM_ENTRA_CLIENT_ID <that id>   # then azd up
#
# What it sets:
# - the app roles of infra/entra/app-roles.json (Reporter, Editor, Publisher, Admin), which the API reads
#   from the token's "roles" claim;
# - the identifier URI api://<client id> and one delegated scope, access_as_user, with v2 access tokens
#   (issuer https://login.microsoftonline.com/<tenant>/v2.0, audience <client id>);
# - "assignment required" on its service principal, so only people given a role get a token at all;
# - the Azure CLI as a pre-authorized client of that scope, so staff can get a token with
#   az account get-access-token --scope api://<client id>/access_as_user (no consent prompt).
# Run it again after changing app-roles.json: it updates the roles in place (their ids are fixed).
set -euo pipefail
name=${1:-newsroom-api}
here=$(cd "$(dirname "$0")" && pwd)
scope_id=8fbeb42a-e716-49d3-806f-30307ea41e19
azure_cli=04b07795-8ddb-461a-bbee-02f9e1bf7b46

app_id=$(az ad app list --display-name "$name" --query '[0].appId' -o tsv)
if [ -z "$app_id" ]; then
  app_id=$(az ad app create --display-name "$name" --sign-in-audience AzureADMyOrg \
    --app-roles @"$here/app-roles.json" --query appId -o tsv)
  echo "created app registration '$name' ($app_id)" >&2
else
  az ad app update --id "$app_id" --app-roles @"$here/app-roles.json"
  echo "updated app registration '$name' ($app_id)" >&2
fi
object_id=$(az ad app show --id "$app_id" --query id -o tsv)
graph="https://graph.microsoft.com/v1.0/applications/$object_id"

# The scope first; a client can be pre-authorized only for a scope that exists.
az rest --method PATCH --uri "$graph" --headers 'Content-Type=application/json' --body "{
  \"identifierUris\": [\"api://$app_id\"],
  \"api\": {
    \"requestedAccessTokenVersion\": 2,
    \"oauth2PermissionScopes\": [{
      \"id\": \"$scope_id\",
      \"value\": \"access_as_user\",
      \"type\": \"User\",
      \"isEnabled\": true,
      \"adminConsentDisplayName\": \"Use the newsroom desk\",
      \"adminConsentDescription\": \"Lets the app call the newsroom API as the signed-in member of the newsroom.\",
      \"userConsentDisplayName\": \"Use the newsroom desk\",
      \"userConsentDescription\": \"Lets the app call the newsroom API as you.\"
    }]
  }
}"
az rest --method PATCH --uri "$graph" --headers 'Content-Type=application/json' --body "{
  \"api\": { \"preAuthorizedApplications\": [{ \"appId\": \"$azure_cli\", \"delegatedPermissionIds\": [\"$scope_id\"] }] }
}"

if ! az ad sp show --id "$app_id" >/dev/null 2>&1; then
  az ad sp create --id "$app_id" >/dev/null
fi
az ad sp update --id "$app_id" --set appRoleAssignmentRequired=true

echo "$app_id"
