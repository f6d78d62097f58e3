#!/usr/bin/env bash
# Gives a member of the newsroom one of the API's app roles (Reporter, Editor, Publisher, Admin):
#
#   infra/entra/assign-role.sh <client id> <user principal name> <role>
#   infra/entra/assign-role.sh "$NEWSROOM_ENTRA_CLIENT_ID" thuha@baothainguyen.vn Editor
#
# The role reaches the API in the user's next access token. The Entra admin center does the same under
# Enterprise applications > <the app> > Users and groups; remove an assignment there to take a role away.
set -euo pipefail
if [ $# -ne 3 ]; then
  echo "usage: $0 <client id> <user principal name> <Reporter|Editor|Publisher|Admin>" >&2
  exit 2
fi
app_id=$1 user=$2 role=$3
sp_id=$(az ad sp show --id "$app_id" --query id -o tsv)
role_id=$(az ad sp show --id "$app_id" --query "appRoles[?value=='$role'].id | [0]" -o tsv)
if [ -z "$role_id" ]; then
  echo "the app has no role '$role'; its roles are: $(az ad sp show --id "$app_id" --query 'appRoles[].value' -o tsv | tr '\n' ' ')" >&2
  exit 1
fi
user_id=$(az ad user show --id "$user" --query id -o tsv)
az rest --method POST --uri "https://graph.microsoft.com/v1.0/servicePrincipals/$sp_id/appRoleAssignedTo" \
  --headers 'Content-Type=application/json' \
  --body "{\"principalId\": \"$user_id\", \"resourceId\": \"$sp_id\", \"appRoleId\": \"$role_id\"}" >/dev/null
echo "$user is now $role on $app_id" >&2
