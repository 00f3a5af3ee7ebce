require 'feedjira'
module ExternalPosts
end
